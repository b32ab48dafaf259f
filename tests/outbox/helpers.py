"""Plain helpers for the outbox tests: queue real email, insert many rows, read what the worker recorded."""

from __future__ import annotations

import contextvars
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.models import DeliveryAttempt, OutboxMessage, OutboxStatus
from campaigns.outbox.services import new_message_id, queue_email
from campaigns.outbox.worker import Worker
from tests.factories import make_user

RESET_LINK = "https://commonground.example.org/forgotten-password"


def queue_password_changed(email: str | None = None, **headers: str) -> OutboxMessage:
    """Queue the real "password changed" email to a new user (at `email` if given), committed."""
    user = make_user(email=email)
    message = queue_email(user.email, "password_changed", headers=headers or None, user=user, reset_link=RESET_LINK)
    db.session.commit()
    return message


def insert_messages(count: int, recipient: str = "reader{n}@example.org", **fields: object) -> list[OutboxMessage]:
    """Insert `count` queued rows directly (fast, for hundreds), committed; `{n}` in `recipient` is numbered."""
    messages = [
        OutboxMessage(
            **{
                "recipient": recipient.format(n=n),
                "subject": f"Bulletin number {n}",
                "text_body": f"Bulletin number {n}: plain text.\n",
                "html_body": f"<p>Bulletin number {n}: <strong>HTML</strong>.</p>",
                "headers": {},
                "message_id": new_message_id(),
                **fields,
            }
        )
        for n in range(1, count + 1)
    ]
    db.session.add_all(messages)
    db.session.commit()
    return messages


def all_messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def statuses() -> dict[OutboxStatus, int]:
    counts = dict.fromkeys(OutboxStatus, 0)
    for message in all_messages():
        counts[message.status] += 1
    return counts


def attempts_for(message: OutboxMessage) -> list[DeliveryAttempt]:
    return list(
        db.session.scalars(
            sa.select(DeliveryAttempt).where(DeliveryAttempt.message_id == message.id).order_by(DeliveryAttempt.id)
        )
    )


def make_due(message: OutboxMessage) -> None:
    """As if the retry time had come: the next worker run picks the message up."""
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def seconds_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds()


def run_worker(worker: Worker, *, once: bool = False) -> int:
    """Commit the test's transaction, then run `worker` as its own process would: outside the test's context,
    so its SQLite transactions begin IMMEDIATE as in production (the test's own statements run without one)."""
    db.session.commit()
    attempts = contextvars.Context().run(worker.run, once=once)
    db.session.expire_all()
    return attempts
