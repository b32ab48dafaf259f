"""Records for the data protection officer: what personal data the platform holds, where, why, for how long and
who sees it, with this site's retention settings and schedule. For platform admins."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from campaigns.organisations.permissions import require_platform_admin
from campaigns.privacy import queries, retention
from campaigns.privacy.blueprint import bp


@bp.get("/admin/privacy")
@login_required
def records() -> str:
    require_platform_admin(current_user)
    return render_template(
        "privacy/records.html",
        maximum=retention.platform_maximum(),
        unconfirmed_days=retention.unconfirmed_days(),
        schedule=queries.retention_schedule(),
    )
