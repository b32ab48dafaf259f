"""Read-only queries for the email delivery page."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.outbox.models import OutboxMessage, OutboxStatus


def counts_by_status() -> dict[OutboxStatus, int]:
    """Messages in each status. Counts the whole table: fine for an admin page, not for a public one."""
    counts = dict.fromkeys(OutboxStatus, 0)
    for status, count in db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ):
        counts[status] = count
    return counts


def latest_problems(limit: int = 20) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.last_error.is_not(None))
            .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )
