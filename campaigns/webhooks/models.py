"""Webhooks: an organisation's endpoints, each event queued for each endpoint that asked for it, and every attempt.

Deliveries are a queue like the email outbox (campaigns.outbox.leases): the same statuses, leases and backoff.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.database import utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation
from campaigns.outbox.models import Leased
from campaigns.webhooks.signing import secrets_in_use


class WebhookEvent(enum.StrEnum):
    STATEMENT_AGREED = "statement.agreed"
    STATEMENT_OPENED = "statement.opened"
    STATEMENT_CLOSED = "statement.closed"
    SIGNATURE_CONFIRMED = "signature.confirmed"
    SIGNATURE_WITHDRAWN = "signature.withdrawn"
    SUBMISSION_SENT = "submission.sent"
    REPLY_LOGGED = "reply.logged"
    UPDATE_SENT = "update.sent"

    @property
    def label(self) -> str:
        return {
            "statement.agreed": "A statement's text is agreed by every co-author",
            "statement.opened": "A statement opens for signatures",
            "statement.closed": "A statement closes",
            "signature.confirmed": "An organisation's signature is confirmed",
            "signature.withdrawn": "An organisation withdraws its signature",
            "submission.sent": "A statement is sent to a target",
            "reply.logged": "A reply from a target is logged",
            "update.sent": "An email update starts going out to signatories",
        }[self.value]


class WebhookEndpoint(Model):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        # A rotated-out secret is kept only with the end of its grace period, and never without one.
        sa.CheckConstraint(
            "(previous_secret IS NULL) = (previous_secret_expires_at IS NULL)", name="previous_secret_has_an_end"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: The event types it asked for (WebhookEvent values).
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: "whsec_" and the base64 of 32 random bytes: the HMAC key of every signature (Standard Webhooks).
    secret: Mapped[str] = mapped_column(sa.String(100))
    #: The secret it had before its last rotation: deliveries are signed with it too until its grace period ends.
    previous_secret: Mapped[str | None] = mapped_column(sa.String(100))
    previous_secret_expires_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Since when every attempt has failed (None: the last one succeeded, or none was made).
    failing_since: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(lazy="raise")

    @property
    def is_enabled(self) -> bool:
        return self.disabled_at is None

    def previous_secret_until(self, now: datetime) -> datetime | None:
        """When the secret rotated out stops signing deliveries, if it still does at `now`."""
        in_use = secrets_in_use(self.secret, self.previous_secret, self.previous_secret_expires_at, now)
        return self.previous_secret_expires_at if len(in_use) > 1 else None

    def wants(self, event: WebhookEvent) -> bool:
        return self.is_enabled and event.value in self.events


class WebhookDelivery(Leased, Model):
    """One event for one endpoint. Its `event_id` is the `webhook-id` of every attempt, so a receiver that has seen it
    once can ignore it again; its `body` is fixed when queued, so "send again" sends the very same bytes."""

    __tablename__ = "webhook_deliveries"
    STATUS_TYPE = "webhook_delivery_status"
    __table_args__ = (
        sa.UniqueConstraint("endpoint_id", "event_id"),
        # The worker's claim query, as for email.
        sa.Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        # An endpoint's page: its deliveries, newest first.
        sa.Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(sa.String(60))
    event_type: Mapped[str] = mapped_column(sa.String(60))
    #: The JSON body exactly as sent.
    body: Mapped[str] = mapped_column(sa.Text)

    endpoint: Mapped[WebhookEndpoint] = relationship(lazy="raise")
    attempts_made: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="delivery", lazy="raise", order_by="WebhookAttempt.id"
    )


class WebhookAttempt(Model):
    """One try at delivering: what the endpoint answered (or why there was no answer), and when."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    worker: Mapped[str] = mapped_column(sa.String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The HTTP status the endpoint answered with (None: no answer: refused address, connection error, timeout).
    status_code: Mapped[int | None]
    #: The start of the endpoint's answer, or the error.
    response_excerpt: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="attempts_made")
