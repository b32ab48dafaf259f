"""Email delivery at a glance, for platform admins: counts by status and the latest failures."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from campaigns.extensions import db
from campaigns.organisations.permissions import require_platform_admin
from campaigns.outbox.models import OutboxMessage, OutboxStatus

bp = Blueprint("outbox", __name__)


@bp.get("/admin/mail")
@login_required
def status() -> str:
    require_platform_admin(current_user)
    counts = dict.fromkeys(OutboxStatus, 0)
    for status, count in db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ):
        counts[status] = count
    failures = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(20)
    ).all()
    return render_template("outbox/status.html", counts=counts, failures=failures)
