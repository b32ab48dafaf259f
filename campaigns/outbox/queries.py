"""Read-only queries for the email delivery page and for what bounces decide."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.extensions import db
from campaigns.outbox.models import DeliveryReport, OutboxMessage, OutboxStatus
from campaigns.outbox.reports import ReportKind


def counts_by_status() -> dict[OutboxStatus, int]:
    """Messages in each status. Counts the whole table: fine for an admin page, not for a public one."""
    counts = dict.fromkeys(OutboxStatus, 0)
    for status, count in db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ):
        counts[status] = count
    return counts


def latest_problems(limit: int = 20) -> list[OutboxMessage]:
    """The most recent messages whose last attempt failed, newest first, for the admins' mail page."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.last_error.is_not(None))
            .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def latest_reports(limit: int = 20) -> list[DeliveryReport]:
    """The newest bounces and complaints read from the bounce mailbox, with the messages they are about."""
    return list(
        db.session.scalars(
            sa.select(DeliveryReport)
            .options(joinedload(DeliveryReport.message))
            .order_by(DeliveryReport.received_at.desc(), DeliveryReport.id.desc())
            .limit(limit)
        )
    )


def soft_bounced_messages(email: str) -> int:
    """How many different messages to `email` have had a soft bounce."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(DeliveryReport.message_id))).where(
                DeliveryReport.recipient == email.lower(), DeliveryReport.kind == ReportKind.SOFT_BOUNCE
            )
        )
        or 0
    )
