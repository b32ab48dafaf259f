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


def status_counts(mailing_ids: list[int]) -> dict[int, dict[OutboxStatus, int]]:
    """Each update's messages counted by status, for many updates in one statement (the index on mailing and
    status answers it)."""
    counts = {mailing_id: dict.fromkeys(OutboxStatus, 0) for mailing_id in mailing_ids}
    if mailing_ids:
        for mailing_id, status, count in db.session.execute(
            sa.select(OutboxMessage.mailing_id, OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.mailing_id.in_(mailing_ids))
            .group_by(OutboxMessage.mailing_id, OutboxMessage.status)
        ):
            if mailing_id is not None:  # never: the query asks for these ids
                counts[mailing_id][status] = count
    return counts


def progress_from(mailing: Mailing, counts: dict[OutboxStatus, int], now: datetime | None = None) -> Progress:
    """The update's progress from its messages counted by status, and the time left at the rate so far."""
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


def progress(mailing: Mailing, now: datetime | None = None) -> Progress:
    """How one update is going: its messages by status, and the time left."""
    return progress_from(mailing, status_counts([mailing.id])[mailing.id], now)


def unsubscribes_after(mailing_ids: list[int]) -> dict[int, int]:
    """How many people unsubscribed from the link in each update, in one statement."""
    counts = dict.fromkeys(mailing_ids, 0)
    if mailing_ids:
        for mailing_id, count in db.session.execute(
            sa.select(Suppression.mailing_id, sa.func.count())
            .where(Suppression.mailing_id.in_(mailing_ids), Suppression.reason == SuppressionReason.UNSUBSCRIBED)
            .group_by(Suppression.mailing_id)
        ):
            if mailing_id is not None:
                counts[mailing_id] = count
    return counts


def reports_after(mailing_ids: list[int]) -> dict[int, dict[ReportKind, int]]:
    """Bounces and complaints that came back about each update's copies, by kind, in one statement."""
    counts = {mailing_id: dict.fromkeys(ReportKind, 0) for mailing_id in mailing_ids}
    if mailing_ids:
        for mailing_id, kind, count in db.session.execute(
            sa.select(OutboxMessage.mailing_id, DeliveryReport.kind, sa.func.count())
            .join(OutboxMessage, OutboxMessage.id == DeliveryReport.message_id)
            .where(OutboxMessage.mailing_id.in_(mailing_ids))
            .group_by(OutboxMessage.mailing_id, DeliveryReport.kind)
        ):
            if mailing_id is not None:
                counts[mailing_id][kind] = count
    return counts
