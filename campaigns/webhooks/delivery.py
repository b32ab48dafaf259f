"""Delivering webhooks: the mail worker delivers this queue after each batch of email (outbox events.deliver_queues),
claiming, leasing and retrying its rows as it does email's (campaigns.outbox.leases).

Each delivery is POSTed with its Standard Webhooks headers, and marked sent in its own commit straight after the
endpoint answers 2xx: a worker killed while waiting for an answer leaves the row claimed, another worker claims it
once the lease has run out and sends it again, with the same `webhook-id` (at most that one duplicate). Any other
answer, or none, is retried with exponential backoff up to CAMPAIGNS_WEBHOOK_MAX_ATTEMPTS. An endpoint every attempt
at which has failed for CAMPAIGNS_WEBHOOK_DISABLE_AFTER_HOURS is turned off and its organisation's admins emailed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.leases import LeasedQueue
from campaigns.outbox.models import OutboxStatus
from campaigns.webhooks import services, signing, transport
from campaigns.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from campaigns.outbox.worker import Worker

log = logging.getLogger(__name__)

#: The webhook queue: its rows are claimed, leased and retried as email's are.
QUEUE = LeasedQueue(WebhookDelivery)


@dataclass(frozen=True)
class Claimed:
    """A delivery as the worker holds it: read in the claim's transaction, sent with none open."""

    id: int
    endpoint_id: int
    event_id: str
    body: str
    url: str
    #: The secrets it is signed with: the endpoint's, and the one rotated out while its grace period lasts.
    secrets: tuple[str, ...]
    attempts: int


def deliver_due(worker: Worker) -> int:
    """Claim and deliver the due webhooks, one commit each; returns how many were attempted."""
    config = current_app.config
    lease = timedelta(seconds=config["CAMPAIGNS_WEBHOOK_LEASE_SECONDS"])
    batch, lease_until = _claim(worker.name, lease, config["CAMPAIGNS_WEBHOOK_BATCH_SIZE"])
    attempted: list[int] = []
    try:
        for delivery in batch:
            if worker.stopping.is_set():
                break
            if utcnow() > lease_until - lease / 2:
                # A slow batch: keep the lease on the rest from running out under us.
                db.session.connection()
                lease_until = utcnow() + lease
                held = QUEUE.extend(worker.name, lease_until)
                db.session.commit()
                if delivery.id not in held:
                    continue
            _deliver(delivery, worker.name)
            attempted.append(delivery.id)
    finally:
        db.session.rollback()
        QUEUE.release([d.id for d in batch if d.id not in attempted], worker.name, utcnow())
        db.session.commit()
    return len(attempted)


def _claim(worker: str, lease: timedelta, limit: int) -> tuple[list[Claimed], datetime]:
    try:
        db.session.connection()  # begin first (see LeasedQueue.claim)
        now = utcnow()
        claimed = QUEUE.claim(
            [
                WebhookDelivery.id,
                WebhookDelivery.endpoint_id,
                WebhookDelivery.event_id,
                WebhookDelivery.body,
                WebhookEndpoint.url,
                WebhookEndpoint.secret,
                WebhookEndpoint.previous_secret,
                WebhookEndpoint.previous_secret_expires_at,
            ],
            worker=worker,
            now=now,
            lease=lease,
            limit=limit,
            max_attempts=current_app.config["CAMPAIGNS_WEBHOOK_MAX_ATTEMPTS"],
            give_up=lambda fields, attempts: _attempt(
                fields[0], worker, now, None, f"A worker stopped while sending this message, {attempts} times"
            ),
            where=sa.and_(WebhookEndpoint.id == WebhookDelivery.endpoint_id, WebhookEndpoint.disabled_at.is_(None)),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    batch = [
        Claimed(
            id=f[0],
            endpoint_id=f[1],
            event_id=f[2],
            body=f[3],
            url=f[4],
            secrets=signing.secrets_in_use(f[5], f[6], f[7], now),
            attempts=attempts,
        )
        for f, attempts in claimed
    ]
    return batch, now + lease


def _attempt(
    delivery_id: int, worker: str, started: datetime, status: int | None, excerpt: str, succeeded: bool = False
) -> None:
    db.session.execute(
        sa.insert(WebhookAttempt).values(
            delivery_id=delivery_id,
            worker=worker,
            started_at=started,
            finished_at=utcnow(),
            succeeded=succeeded,
            status_code=status,
            response_excerpt=excerpt[: transport.EXCERPT_BYTES],
        )
    )


def _deliver(delivery: Claimed, worker: str) -> None:
    """Send one delivery, then record the outcome in its own short transaction (none is open while sending)."""
    config = current_app.config
    body = delivery.body.encode()
    started = utcnow()
    try:
        answer = transport.post(
            delivery.url,
            body,
            signing.headers(delivery.secrets, delivery.event_id, int(time.time()), body),
            timeout=config["CAMPAIGNS_WEBHOOK_TIMEOUT"],
            allow_private=services.allow_private_addresses(),
        )
    except Exception as error:  # a bug, not the endpoint's answer: retry rather than crash the worker
        log.exception("Unexpected error delivering webhook %s", delivery.id)
        answer = transport.Answer(None, f"{type(error).__name__}: {error}")
    db.session.connection()
    now = utcnow()
    attempts = delivery.attempts + 1
    values: dict[str, Any]
    if answer.succeeded:
        values = {
            "status": OutboxStatus.SENT,
            "sent_at": now,
            "attempts": attempts,
            "last_error": None,
            "lease_expires_at": None,
            "claimed_by": None,
            "updated_at": now,
        }
    else:
        reason = f"HTTP {answer.status}: {answer.excerpt}" if answer.status is not None else answer.excerpt
        values = QUEUE.failed(
            attempts,
            reason,
            permanent=False,
            max_attempts=config["CAMPAIGNS_WEBHOOK_MAX_ATTEMPTS"],
            retry_seconds=config["CAMPAIGNS_WEBHOOK_RETRY_SECONDS"],
            now=now,
        )
    result = db.session.execute(QUEUE.ours(delivery.id, worker).values(**values))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        log.warning("Webhook %s was delivered after this worker's lease on it had run out", delivery.id)
    _attempt(delivery.id, worker, started, answer.status, answer.excerpt, answer.succeeded)
    _note_health(delivery.endpoint_id, answer.succeeded, started, now)
    db.session.commit()
    log.info("Webhook %s (%s): %s", delivery.id, delivery.event_id, answer.status or answer.excerpt)


def _note_health(endpoint_id: int, succeeded: bool, started: datetime, now: datetime) -> None:
    """Keep when the endpoint started failing; turn it off once it has failed for the whole period."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None:
        return
    if succeeded:
        endpoint.failing_since = None
        return
    if endpoint.failing_since is None:
        endpoint.failing_since = started
    period = timedelta(hours=current_app.config["CAMPAIGNS_WEBHOOK_DISABLE_AFTER_HOURS"])
    if endpoint.is_enabled and now - endpoint.failing_since >= period:
        services.disable_failing(endpoint, endpoint.failing_since)
        log.warning("Webhook endpoint %s has failed since %s: turned off", endpoint.id, endpoint.failing_since)
