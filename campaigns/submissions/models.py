"""Targets a statement is sent to, each sending (a submission) with the signatories frozen as sent,
the responses that come back, attached files, and the reminders already sent."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Revision, Statement
from campaigns.web_addresses import WebAddress


class TargetKind(enum.StrEnum):
    DEPARTMENT = "department"
    COMMITTEE = "committee"
    PARTY = "party"
    PARLIAMENTARIAN = "parliamentarian"
    DEVOLVED = "devolved"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "department": "Government department",
            "committee": "Parliamentary committee",
            "party": "Political party",
            "parliamentarian": "MP or peer",
            "devolved": "Devolved government",
            "other": "Other body",
        }[self.value]


class Target(Model):
    """Somewhere statements are sent. A target with a statement belongs to that statement alone (kind "other")."""

    __tablename__ = "submission_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[TargetKind] = mapped_column(string_enum(TargetKind, "target_kind"))
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    website: Mapped[str] = mapped_column(WebAddress(), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(sa.String(320), default="", server_default="")
    postal_address: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Added by a statement's editors for that statement only; None: in the shared directory.
    statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    statement: Mapped[Statement | None] = relationship()

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class SubmissionStatus(enum.StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "planned": "Planned",
            "sent": "Sent",
            "acknowledged": "Acknowledged",
            "responded": "Response received",
            "closed": "Closed",
        }[self.value]


#: Still waiting for a full reply.
AWAITING = (SubmissionStatus.SENT, SubmissionStatus.ACKNOWLEDGED)


class Channel(enum.StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    CONSULTATION = "consultation"
    MEETING = "meeting"
    BRIEFING = "briefing"

    @property
    def label(self) -> str:
        return {
            "email": "Email",
            "letter": "Letter",
            "consultation": "Consultation response",
            "meeting": "Meeting",
            "briefing": "Briefing",
        }[self.value]


class Submission(Model):
    """One statement sent to one target. Sending several targets at once makes one submission each."""

    __tablename__ = "submissions"
    __table_args__ = (
        sa.CheckConstraint(
            "expected_by IS NULL OR sent_on IS NULL OR expected_by >= sent_on", name="expected_after_sent"
        ),
        sa.Index("ix_submissions_status_expected_by", "status", "expected_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("submission_targets.id"), index=True)
    #: The agreed revision that was sent.
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    #: The author organisation that recorded it.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    status: Mapped[SubmissionStatus] = mapped_column(
        string_enum(SubmissionStatus, "submission_status"), default=SubmissionStatus.SENT
    )
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "submission_channel"))
    sent_on: Mapped[date | None]
    #: When a reply is due: 20 working days after sending unless changed.
    expected_by: Mapped[date | None]
    #: The working days between sending and the expected date, kept to tell "very overdue" (twice as long).
    interval_days: Mapped[int] = mapped_column(default=20, server_default="20")
    #: A later date the target promised to reply by.
    promised_by: Mapped[date | None]
    reference: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    sent_by: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The signatories as sent: counts by kind, including those not listed publicly.
    signatory_counts: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    #: SHA-256 of the frozen list's canonical form (signatories.canonical_text): anyone can check a printed
    #: pack against /verify/<digest>.
    digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    statement: Mapped[Statement] = relationship()
    target: Mapped[Target] = relationship()
    revision: Mapped[Revision] = relationship()
    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    signatories: Mapped[list[SubmissionSignatory]] = relationship(
        back_populates="submission", lazy="raise", order_by="SubmissionSignatory.position"
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="submission", lazy="selectin", order_by="Response.received_on"
    )

    @property
    def is_awaiting(self) -> bool:
        return self.status in AWAITING

    @property
    def signatory_total(self) -> int:
        return sum(self.signatory_counts.values())


class SubmissionSignatory(Model):
    """One signatory organisation as it stood when the submission was sent. Never changed afterwards."""

    __tablename__ = "submission_signatories"
    __table_args__ = (sa.UniqueConstraint("submission_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"))
    position: Mapped[int]
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Its org-id.guide identifier (or a council's GSS code) when it signed, if it had one.
    identifier: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(30))
    kind_label: Mapped[str] = mapped_column(sa.String(100))
    region: Mapped[str] = mapped_column(sa.String(100))
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    signer_role: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    verified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    submission: Mapped[Submission] = relationship(back_populates="signatories")


class ResponseKind(enum.StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    HOLDING = "holding"
    FULL = "full"

    @property
    def label(self) -> str:
        return {"acknowledgement": "Acknowledgement", "holding": "Holding reply", "full": "Full reply"}[self.value]


class Stance(enum.StrEnum):
    SUPPORTIVE = "supportive"
    PARTLY = "partly"
    NOT_SUPPORTIVE = "not_supportive"
    NO_POSITION = "no_position"

    @property
    def label(self) -> str:
        return {
            "supportive": "Supportive",
            "partly": "Partly supportive",
            "not_supportive": "Not supportive",
            "no_position": "No position",
        }[self.value]


class Response(Model):
    """A reply from the target: an acknowledgement, a holding reply or a full reply."""

    __tablename__ = "submission_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    kind: Mapped[ResponseKind] = mapped_column(string_enum(ResponseKind, "response_kind"))
    received_on: Mapped[date]
    from_whom: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    full_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    stance: Mapped[Stance] = mapped_column(string_enum(Stance, "response_stance"), default=Stance.NO_POSITION)
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    follow_up: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="responses")


class Attachment(Model):
    """A file sent with a submission or received with a response, stored in the instance folder."""

    __tablename__ = "submission_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission_responses.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    #: The random name it is stored under.
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderKind(enum.StrEnum):
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"
    PROMISE_PASSED = "promise_passed"


class ReminderSent(Model):
    """A transition already reminded about: the unique constraint makes each reminder go out once."""

    __tablename__ = "submission_reminders"
    __table_args__ = (sa.UniqueConstraint("submission_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"))
    kind: Mapped[ReminderKind] = mapped_column(string_enum(ReminderKind, "reminder_kind"))
    #: The date that passed (expected or promised), so a changed date can remind again.
    due_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
