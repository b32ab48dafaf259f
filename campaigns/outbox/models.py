"""Email waiting to be delivered, and a record of every delivery attempt."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.outbox.reports import ReportKind


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    #: Never to be sent: its update was cancelled before the worker reached it.
    CANCELLED = "cancelled"


class AttemptOutcome(enum.StrEnum):
    SENT = "sent"
    TEMPORARY_FAILURE = "temporary_failure"
    PERMANENT_FAILURE = "permanent_failure"


class Leased:
    """The columns of a row in a queue the worker delivers with leases (campaigns.outbox.leases): email here, webhook
    deliveries in campaigns.webhooks. A table using it names its status type in `STATUS_TYPE`."""

    STATUS_TYPE: ClassVar[str]

    @declared_attr
    def status(cls) -> Mapped[OutboxStatus]:
        return mapped_column(string_enum(OutboxStatus, cls.STATUS_TYPE), default=OutboxStatus.QUEUED)

    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: While a worker holds the row; once this passes, another worker may claim it again.
    lease_expires_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]


class OutboxMessage(Leased, Model):
    __tablename__ = "outbox_messages"
    STATUS_TYPE = "outbox_status"
    __table_args__ = (
        # The worker's claim query: due rows by status and time.
        sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
        # An update's progress: its rows by status.
        sa.Index("ix_outbox_messages_mailing_id_status", "mailing_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(998))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Fixed when queued, so a message sent twice after a crash is recognisably the same one.
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    #: Which kind of email it is: the template it was rendered from (`password_reset`, `mailing_update`).
    template: Mapped[str | None] = mapped_column(sa.String(60))
    #: The email update this message is one copy of (None: transactional email, such as a confirmation).
    mailing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mailings.id"))

    delivery_attempts: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="message", lazy="raise", order_by="DeliveryAttempt.id"
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} to {self.recipient}>"


class DeliveryAttempt(Model):
    __tablename__ = "outbox_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    worker: Mapped[str] = mapped_column(sa.String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[AttemptOutcome] = mapped_column(string_enum(AttemptOutcome, "attempt_outcome"))
    smtp_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)

    message: Mapped[OutboxMessage] = relationship(back_populates="delivery_attempts")


class DeliveryReport(Model):
    """A bounce or complaint that came back after the receiving server had accepted a message."""

    __tablename__ = "outbox_reports"
    __table_args__ = (
        # Reading the same mailbox again records nothing twice.
        sa.UniqueConstraint("source", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    #: The address we sent to, lower case (a report may name the address it was forwarded to instead).
    recipient: Mapped[str] = mapped_column(sa.String(320), index=True)
    kind: Mapped[ReportKind] = mapped_column(string_enum(ReportKind, "report_kind"))
    #: RFC 3463 status, such as 5.1.1.
    status: Mapped[str | None] = mapped_column(sa.String(20))
    diagnostic: Mapped[str | None] = mapped_column(sa.Text)
    #: The reporting server (Reporting-MTA) or feedback loop (User-Agent).
    reported_by: Mapped[str | None] = mapped_column(sa.String(255))
    #: The report's own Message-ID, or a hash of its bytes.
    source: Mapped[str] = mapped_column(sa.String(255))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[OutboxMessage] = relationship(lazy="raise")
