"""Leases on the rows of a delivery queue: what every queue the worker delivers shares (email in `outbox_messages`,
webhooks in `webhook_deliveries`), so each queue writes only how it delivers, not how rows are claimed and retried.

A queue's table has `id`, `status` (an OutboxStatus), `attempts`, `next_attempt_at`, `lease_expires_at`,
`claimed_by`, `last_error` and `updated_at`. Guarantees, for every queue alike:
- a row is claimed by one worker at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE), in one
  short transaction, with a lease; once the lease has passed, another worker may claim it again;
- a row whose worker stopped while delivering it (killed, out of memory) counts that as an attempt when claimed
  again, so a row that kills every worker that tries it fails in the end instead of forever;
- an outcome is written only while the worker still holds the row (`ours`), so a worker whose lease ran out never
  overwrites another's;
- failures are retried with exponential backoff, up to a limit.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.outbox.models import OutboxStatus

#: Longest wait between two attempts at one row, however many attempts it has had.
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """Wait before the next attempt: base, 2×base, 4×base, ... capped, with up to 10% jitter."""
    delay = min(base_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=delay * (1 + random.random() / 10))


@dataclass(frozen=True)
class LeasedQueue:
    """One queue's table (a mapped class with the outbox.models.Leased columns) and the leasing operations on it.
    Each runs in the caller's transaction."""

    model: Any

    def due(self, now: datetime) -> sa.ColumnElement[bool]:
        """Rows to deliver now: queued and due, or claimed by a worker whose lease has run out."""
        model = self.model
        return sa.or_(
            sa.and_(model.status == OutboxStatus.QUEUED, model.next_attempt_at <= now),
            sa.and_(model.status == OutboxStatus.SENDING, model.lease_expires_at < now),
        )

    def claim(
        self,
        columns: Sequence[Any],
        *,
        worker: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        max_attempts: int,
        give_up: Callable[[Sequence[Any], int], None],
        where: sa.ColumnElement[bool] | None = None,
    ) -> list[tuple[Sequence[Any], int]]:
        """Lease up to `limit` due rows to `worker`: each as its `columns` and its attempts so far.

        A row abandoned by a stopped worker counts that as an attempt; one that has so reached `max_attempts` is
        marked failed and handed to `give_up` (to record why) instead. Begin the transaction before reading `now`:
        on SQLite that waits for the write lock, and the clock must be read after the wait.
        """
        model = self.model
        query = sa.select(*columns, model.id, model.status, model.attempts).where(self.due(now))
        if where is not None:
            query = query.where(where)
        rows = db.session.execute(
            query.order_by(model.next_attempt_at, model.id).limit(limit).with_for_update(skip_locked=True, of=model)
        ).all()
        claimed: list[tuple[Sequence[Any], int]] = []
        kept: list[int] = []
        abandoned: list[int] = []
        for *fields, row_id, status, attempts in rows:
            if status == OutboxStatus.SENDING:
                attempts += 1
                if attempts >= max_attempts:
                    db.session.execute(
                        sa.update(model)
                        .where(model.id == row_id)
                        .values(
                            status=OutboxStatus.FAILED,
                            attempts=attempts,
                            last_error=f"A worker stopped while sending this message, {attempts} times",
                            claimed_by=None,
                            lease_expires_at=None,
                            updated_at=now,
                        )
                    )
                    give_up(fields, attempts)
                    continue
                abandoned.append(row_id)
            claimed.append((fields, attempts))
            kept.append(row_id)
        if kept:
            db.session.execute(
                sa.update(model)
                .where(model.id.in_(kept))
                .values(
                    status=OutboxStatus.SENDING,
                    claimed_by=worker,
                    lease_expires_at=now + lease,
                    attempts=sa.case((model.id.in_(abandoned), model.attempts + 1), else_=model.attempts),
                    updated_at=now,
                )
            )
        return claimed

    def extend(self, worker: str, until: datetime) -> set[int]:
        """Push back the lease on every row `worker` still holds; returns those rows' ids."""
        model = self.model
        return set(
            db.session.scalars(
                sa.update(model)
                .where(model.claimed_by == worker, model.status == OutboxStatus.SENDING)
                .values(lease_expires_at=until)
                .returning(model.id)
            ).all()
        )

    def ours(self, row_id: int, worker: str) -> sa.Update:
        """An update of the row, which does nothing unless `worker` still holds it."""
        model = self.model
        return sa.update(model).where(
            model.id == row_id, model.claimed_by == worker, model.status == OutboxStatus.SENDING
        )

    def failed(
        self, attempts: int, error: str, *, permanent: bool, max_attempts: int, retry_seconds: int, now: datetime
    ) -> dict[str, object]:
        """The values that record a failed attempt: queued again after a backoff, or failed for good."""
        values: dict[str, object] = {
            "attempts": attempts,
            "last_error": error[:2000],
            "lease_expires_at": None,
            "claimed_by": None,
            "updated_at": now,
        }
        if permanent or attempts >= max_attempts:
            values["status"] = OutboxStatus.FAILED
        else:
            values["status"] = OutboxStatus.QUEUED
            values["next_attempt_at"] = now + backoff(attempts, retry_seconds)
        return values

    def release(self, ids: Sequence[int], worker: str, now: datetime) -> None:
        """Hand rows not attempted back at once (on stop), rather than making them wait out the lease."""
        if not ids:
            return
        model = self.model
        db.session.execute(
            sa.update(model)
            .where(model.id.in_(ids), model.claimed_by == worker, model.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.QUEUED, claimed_by=None, lease_expires_at=None, updated_at=now)
        )
