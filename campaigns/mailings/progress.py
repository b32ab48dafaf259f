"""How an update is going: its messages by status, the time left, and what came back (unsubscribes, bounces)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings.models import Mailing, Suppression, SuppressionReason
from campaigns.outbox.models import DeliveryReport, OutboxMessage, OutboxStatus
from campaigns.outbox.reports import ReportKind


@dataclass(frozen=True)
class Progress:
    queued: int
    sent: int
    failed: int
    cancelled: int
    total: int
    seconds_left: float | None

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.cancelled

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.queued == 0


def progress(mailing: Mailing, now: datetime | None = None) -> Progress:
    """Counts of the update's messages by status (the index on mailing and status answers it), and time left."""
    counts = dict.fromkeys(OutboxStatus, 0)
    for status, count in db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count())
        .where(OutboxMessage.mailing_id == mailing.id)
        .group_by(OutboxMessage.status)
    ):
        counts[status] = count
    queued = counts[OutboxStatus.QUEUED] + counts[OutboxStatus.SENDING]
    delivered = counts[OutboxStatus.SENT] + counts[OutboxStatus.FAILED]
    seconds_left = None
    now = now or utcnow()
    if queued and delivered and mailing.started_at is not None:
        elapsed = max((now - mailing.started_at).total_seconds(), 0.001)
        seconds_left = queued / (delivered / elapsed)
    elif not queued:
        seconds_left = 0.0
    return Progress(
        queued=queued,
        sent=counts[OutboxStatus.SENT],
        failed=counts[OutboxStatus.FAILED],
        cancelled=counts[OutboxStatus.CANCELLED],
        total=sum(counts.values()),
        seconds_left=seconds_left,
    )


def unsubscribes_after(mailing: Mailing) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Suppression)
            .where(Suppression.mailing_id == mailing.id, Suppression.reason == SuppressionReason.UNSUBSCRIBED)
        )
        or 0
    )


def reports_after(mailing: Mailing) -> dict[ReportKind, int]:
    """Bounces and complaints that came back about the update's copies, by kind."""
    counts = dict.fromkeys(ReportKind, 0)
    for kind, count in db.session.execute(
        sa.select(DeliveryReport.kind, sa.func.count())
        .join(OutboxMessage, OutboxMessage.id == DeliveryReport.message_id)
        .where(OutboxMessage.mailing_id == mailing.id)
        .group_by(DeliveryReport.kind)
    ):
        counts[kind] = count
    return counts
