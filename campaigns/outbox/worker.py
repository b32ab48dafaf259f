"""The mail worker: claims queued messages with a lease, delivers them, records every attempt. After each batch it
lets other areas deliver their own queues (webhooks, through events.deliver_queues), leased the same way
(campaigns.outbox.leases).

Guarantees:
- a message is claimed by one worker at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE);
- each message is marked sent in its own commit straight after the server accepts it, so a worker
  killed mid-batch causes at most one duplicate (the message in flight) and loses nothing: its
  claimed rows are claimed again once their lease expires;
- the lease is renewed during a slow batch; a message whose lease was lost to another worker anyway
  (one send outlasting half the lease) is left to that worker rather than sent twice;
- 4xx replies, connection problems and unexpected errors are retried with exponential backoff, up to
  a limit; 5xx replies about a message, and messages that cannot be encoded, fail it at once.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox import events
from campaigns.outbox.leases import LeasedQueue
from campaigns.outbox.models import AttemptOutcome, DeliveryAttempt, OutboxMessage, OutboxStatus
from campaigns.outbox.transport import DeliveryError, Envelope, Transport, encode, make_transport

log = logging.getLogger(__name__)

#: The email queue: its rows are claimed, leased and retried as every queue's are (campaigns.outbox.leases).
MAIL = LeasedQueue(OutboxMessage)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self, app: Flask, name: str | None = None, transport_factory: Callable[[], Transport] = make_transport
    ):
        self.app = app
        self.name = name or worker_name()
        self.stopping = threading.Event()
        self.transport_factory = transport_factory
        config = app.config
        self.batch_size: int = config["CAMPAIGNS_MAIL_BATCH_SIZE"]
        self.lease = timedelta(seconds=config["CAMPAIGNS_MAIL_LEASE_SECONDS"])
        self.max_attempts: int = config["CAMPAIGNS_MAIL_MAX_ATTEMPTS"]
        self.retry_seconds: int = config["CAMPAIGNS_MAIL_RETRY_SECONDS"]
        self.poll_seconds: float = config["CAMPAIGNS_MAIL_POLL_SECONDS"]
        #: Messages per second at most (0: no limit), kept by spacing the sends evenly.
        self.rate: float = config.get("CAMPAIGNS_MAIL_RATE") or 0.0
        self._next_send = 0.0
        self._last_tick = float("-inf")

    def stop(self, *_args: object) -> None:
        """Finish the message in hand, hand back the rest of the batch, and return from run()."""
        self.stopping.set()

    def run(self, once: bool = False) -> int:
        """Deliver until stopped, or with `once` until nothing is due. Returns the number of attempts made."""
        total = 0
        with self.app.app_context():
            log.info("Mail worker %s started", self.name)
            while not self.stopping.is_set():
                try:
                    self.tick()
                    attempted = self.run_batch() + self.run_other_queues()
                except sa.exc.OperationalError:
                    if once:
                        raise
                    # The database is unreachable or locked for now: wait and try again, rather than stop.
                    log.exception("Mail worker %s could not reach the database; retrying", self.name)
                    db.session.rollback()
                    self.stopping.wait(max(self.poll_seconds, 5))
                    continue
                total += attempted
                if attempted == 0:
                    if once:
                        break
                    self.stopping.wait(self.poll_seconds)
            log.info("Mail worker %s stopped after %d attempts", self.name, total)
        return total

    def tick(self, force: bool = False) -> None:
        """Let other areas do their periodic work (start scheduled updates), at most once per poll interval."""
        if not force and time.monotonic() - self._last_tick < self.poll_seconds:
            return
        self._last_tick = time.monotonic()
        if not events.before_claim.receivers:
            return
        try:
            db.session.connection()
            events.before_claim.send(self, now=utcnow())
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise

    def run_other_queues(self) -> int:
        """Deliver what is due in the other areas' queues (webhooks); returns how many deliveries were attempted."""
        if self.stopping.is_set() or not events.deliver_queues.receivers:
            return 0
        try:
            return sum(attempted for _receiver, attempted in events.deliver_queues.send(self))
        except Exception:
            db.session.rollback()
            raise

    def pace(self) -> None:
        """Wait, if need be, so that this worker sends at most `rate` messages a second."""
        if self.rate <= 0:
            return
        now = time.monotonic()
        if self._next_send > now:
            self.stopping.wait(self._next_send - now)
        self._next_send = max(now, self._next_send) + 1 / self.rate

    def run_batch(self) -> int:
        batch, lease_until = self.claim()
        if not batch:
            return 0
        held = {envelope.id for envelope in batch}
        attempted: set[int] = set()
        transport: Transport | None = None
        # Encoding a message (MIME, base64) costs more than sending it; one thread encodes the next messages
        # while this one waits for the server and the database. Only encoding runs ahead: each message is
        # still sent only once the one before it is recorded.
        encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-encoder")
        encoded = [encoder.submit(self._encode, envelope) for envelope in batch]
        try:
            transport = self.transport_factory()
            for envelope, ready in zip(batch, encoded, strict=True):
                if self.stopping.is_set():
                    break
                if utcnow() > lease_until - self.lease / 2:
                    # A slow batch: keep the lease on the rest from running out under us.
                    lease_until, held = self.extend_lease()
                if envelope.id not in held:
                    # Our lease ran out during a slow send and another worker has claimed it since.
                    log.warning("Message %s was claimed by another worker: not sending it", envelope.id)
                    continue
                self.pace()
                self.deliver(ready.result(), transport)
                attempted.add(envelope.id)
        finally:
            encoder.shutdown(wait=False, cancel_futures=True)
            if transport is not None:
                transport.close()
            self.release([envelope.id for envelope in batch if envelope.id not in attempted])
        return len(attempted)

    def _encode(self, envelope: Envelope) -> Envelope:
        """The envelope with its encoded bytes; unchanged if it cannot be encoded (sending it then says why)."""
        with self.app.app_context():
            try:
                return dataclasses.replace(envelope, encoded=encode(envelope))
            except DeliveryError:
                return envelope

    def claim(self) -> tuple[list[Envelope], datetime]:
        """Take a lease on up to batch_size due messages, in one short transaction; returns them and its end."""
        try:
            db.session.connection()  # begin first: on SQLite that waits for the write lock (see LeasedQueue.claim)
            now = utcnow()
            claimed = MAIL.claim(
                [getattr(OutboxMessage, field) for field in Envelope.FIELDS],
                worker=self.name,
                now=now,
                lease=self.lease,
                limit=self.batch_size,
                max_attempts=self.max_attempts,
                give_up=lambda fields, attempts: self._give_up_on_abandoned(
                    dataclasses.replace(Envelope(*fields), attempts=attempts), now
                ),
            )
            batch = [dataclasses.replace(Envelope(*fields), attempts=attempts) for fields, attempts in claimed]
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return batch, now + self.lease

    def _give_up_on_abandoned(self, envelope: Envelope, now: datetime) -> None:
        reason = f"A worker stopped while sending this message, {envelope.attempts} times"
        error = DeliveryError(reason, permanent=False)
        self._attempt(envelope, now, AttemptOutcome.TEMPORARY_FAILURE, error)
        log.warning("Message %s to %s failed for good: %s", envelope.id, envelope.recipient, error)

    def deliver(self, envelope: Envelope, transport: Transport) -> None:
        """Send one message, then record the outcome in its own short transaction.

        No transaction is open while the server is talking, so SQLite's write lock is never held over the network.
        """
        started = utcnow()
        try:
            transport.send(envelope)
        except DeliveryError as error:
            self._begin_record()
            self.record_failure(envelope, error, started)
        except Exception as error:
            # A bug, not the server's answer: retry (up to the limit) on a fresh connection rather than
            # crash, since a crashed worker would claim the same message first again when restarted.
            log.exception("Unexpected error sending message %s", envelope.id)
            transport.close()
            self._begin_record()
            self.record_failure(envelope, DeliveryError(f"{type(error).__name__}: {error}", permanent=False), started)
        else:
            self._begin_record()
            self.record_sent(envelope, started)
        db.session.commit()

    def _execute(self, statement: sa.Executable) -> sa.CursorResult[Any]:
        """Run one of the worker's own writes on the session's connection, as plain Core (no ORM bookkeeping:
        the hot loop runs these for every message)."""
        return db.session.connection().execute(statement)

    def _begin_record(self) -> None:
        """Begin the transaction that records one message's outcome.

        On PostgreSQL the worker's connection commits without waiting for the WAL flush: a killed worker
        loses nothing by it (the server has the commit), and only a crash of the database server itself
        could forget the last fraction of a second of statuses, so that those messages are sent again
        (same Message-ID), never lost.
        """
        connection = db.session.connection()
        if connection.dialect.name == "postgresql" and not connection.info.get("asynchronous_commit"):
            # Once per database connection (a worker keeps its own), rather than a round trip per message.
            connection.exec_driver_sql("SET synchronous_commit TO OFF")
            connection.info["asynchronous_commit"] = True

    def extend_lease(self) -> tuple[datetime, set[int]]:
        """Push back the lease on every message this worker still holds; returns its new end and those messages."""
        db.session.connection()  # as in claim(): read the clock once the transaction has begun
        lease_until = utcnow() + self.lease
        held = MAIL.extend(self.name, lease_until)
        db.session.commit()
        return lease_until, held

    def _ours(self, envelope: Envelope) -> sa.Update:
        return MAIL.ours(envelope.id, self.name)

    def _attempt(
        self, envelope: Envelope, started: datetime, outcome: AttemptOutcome, error: DeliveryError | None = None
    ) -> None:
        db.session.connection().execute(
            _RECORD_ATTEMPT,
            {
                "message_id": envelope.id,
                "worker": self.name,
                "started_at": started,
                "finished_at": utcnow(),
                "outcome": outcome,
                "smtp_code": error.code if error else None,
                "error": str(error)[:2000] if error else None,
            },
        )

    def record_sent(self, envelope: Envelope, started: datetime) -> None:
        now = utcnow()
        # Built once (below) and run with parameters: the statement is compiled once, not per message.
        result = db.session.connection().execute(
            _RECORD_SENT,
            {"b_id": envelope.id, "b_worker": self.name, "b_now": now, "b_attempts": envelope.attempts + 1},
        )
        if result.rowcount == 0:
            log.warning("Message %s was sent after this worker's lease on it had run out", envelope.id)
        self._attempt(envelope, started, AttemptOutcome.SENT)
        log.info("Sent message %s to %s", envelope.id, envelope.recipient)

    def record_failure(self, envelope: Envelope, error: DeliveryError, started: datetime) -> None:
        now = utcnow()
        attempts = envelope.attempts + 1
        values = MAIL.failed(
            attempts,
            str(error),
            permanent=error.permanent,
            max_attempts=self.max_attempts,
            retry_seconds=self.retry_seconds,
            now=now,
        )
        if values["status"] == OutboxStatus.FAILED:
            outcome = AttemptOutcome.PERMANENT_FAILURE if error.permanent else AttemptOutcome.TEMPORARY_FAILURE
            log.warning(
                "Message %s to %s failed for good after %d attempts: %s",
                envelope.id,
                envelope.recipient,
                attempts,
                error,
            )
        else:
            outcome = AttemptOutcome.TEMPORARY_FAILURE
            log.info(
                "Message %s to %s will be retried at %s: %s",
                envelope.id,
                envelope.recipient,
                values["next_attempt_at"],
                error,
            )
        self._execute(self._ours(envelope).values(**values))
        self._attempt(envelope, started, outcome, error)
        if error.permanent:
            events.permanent_failure.send(envelope, error=error)

    def release(self, ids: list[int]) -> None:
        """Hand unsent messages back at once (on stop), rather than making them wait out the lease."""
        if not ids:
            return
        db.session.rollback()
        MAIL.release(ids, self.name, utcnow())
        db.session.commit()


_messages = cast(sa.Table, OutboxMessage.__table__)
#: The worker's hot path, once per message: built once, so SQLAlchemy compiles each statement only once.
_RECORD_SENT = (
    sa.update(_messages)
    .where(
        _messages.c.id == sa.bindparam("b_id"),
        _messages.c.claimed_by == sa.bindparam("b_worker"),
        _messages.c.status == OutboxStatus.SENDING,
    )
    .values(
        status=OutboxStatus.SENT,
        sent_at=sa.bindparam("b_now"),
        attempts=sa.bindparam("b_attempts"),
        last_error=None,
        lease_expires_at=None,
        claimed_by=None,
        updated_at=sa.bindparam("b_now"),
    )
)
_RECORD_ATTEMPT = sa.insert(cast(sa.Table, DeliveryAttempt.__table__))
