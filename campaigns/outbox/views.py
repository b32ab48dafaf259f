"""Email delivery at a glance, for platform admins: counts by status, the latest failures, bounces and complaints."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from campaigns.organisations.permissions import require_platform_admin
from campaigns.outbox import queries
from campaigns.outbox.blueprint import bp


@bp.get("/admin/mail")
@login_required
def status() -> str:
    require_platform_admin(current_user)
    return render_template(
        "outbox/status.html",
        counts=queries.counts_by_status(),
        failures=queries.latest_problems(),
        reports=queries.latest_reports(),
    )
