"""Email updates to a statement's signatories, who approved them, and the addresses that must not get them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.statements.models import Statement


class Audience(enum.StrEnum):
    SIGNATORIES = "signatories"  # every confirmed signatory who opted in to updates
    FILTERED = "filtered"  # those of them whose organisation is of a kind and/or in a region
    CO_AUTHORS = "co_authors"  # the people of the statement's author organisations only

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.SIGNATORIES: "All signatories who asked for updates",
    Audience.FILTERED: "Signatories who asked for updates, by kind of organisation and region",
    Audience.CO_AUTHORS: "Co-authors only",
}


class MailingStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: The merge fields in general terms, for wherever the text is shown other than to one recipient: the public
#: page and feed, the writers' headings, the history (a raw "((name))" reads as a mistake).
NEUTRAL = {"((name))": "signatory", "((organisation))": "your organisation"}


def neutral(text: str) -> str:
    for field, words in NEUTRAL.items():
        text = text.replace(field, words)
    return text


#: Statuses in which the text and audience can still change.
EDITABLE = (MailingStatus.DRAFT, MailingStatus.AWAITING_APPROVAL, MailingStatus.APPROVED)


class Mailing(Model):
    """One email update about a statement, sent in the name of the organisation that wrote it."""

    __tablename__ = "mailings"
    __table_args__ = (sa.Index("ix_mailings_status_scheduled_at", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    #: The author organisation it is sent for.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    subject: Mapped[str] = mapped_column(sa.String(200))
    #: Markdown, with the merge fields ((name)) and ((organisation)).
    body: Mapped[str] = mapped_column(sa.Text)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "mailing_audience"), default=Audience.SIGNATORIES)
    audience_kind: Mapped[OrganisationKind | None] = mapped_column(string_enum(OrganisationKind, "mailing_kind"))
    audience_region: Mapped[str | None] = mapped_column(sa.String(30))
    status: Mapped[MailingStatus] = mapped_column(
        string_enum(MailingStatus, "mailing_status"), default=MailingStatus.DRAFT
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approval_requested_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_for_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    approved_at: Mapped[datetime | None]
    #: The last time an approver sent it back to its writers, who, and why (kept after it is changed).
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(sa.Text)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    recipient_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Shown on the statement's public page, by its owners' choice.
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    statement: Mapped[Statement] = relationship()
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    approved_for: Mapped[Organisation | None] = relationship(foreign_keys=[approved_for_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.status} on {self.statement_id}>"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def title(self) -> str:
        """The subject with its merge fields in general terms."""
        return neutral(self.subject)

    @property
    def public_body(self) -> str:
        """The Markdown with its merge fields in general terms, as the public page shows it."""
        return neutral(self.body)


class MailingSettings(Model):
    """A statement's owners' choices about updates."""

    __tablename__ = "mailing_settings"

    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), primary_key=True)
    #: With several author organisations, another one must approve each update before it is sent.
    approval_required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class SuppressionReason(enum.StrEnum):
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    #: The recipient reported an update as spam (a feedback loop's report).
    COMPLAINED = "complained"


class Suppression(Model):
    """An address that gets no more updates: about one statement, or (statement None) about any.

    Only updates: confirmations, password resets and other transactional email are not affected.
    """

    __tablename__ = "mailing_suppressions"
    __table_args__ = (
        sa.Index(
            "uq_mailing_suppressions_email_statement",
            "email",
            "statement_id",
            unique=True,
            sqlite_where=sa.text("statement_id IS NOT NULL"),
            postgresql_where=sa.text("statement_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_mailing_suppressions_email_all",
            "email",
            unique=True,
            sqlite_where=sa.text("statement_id IS NULL"),
            postgresql_where=sa.text("statement_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower case, so every later update matches it whatever the case it was typed in.
    email: Mapped[str] = mapped_column(sa.String(320))
    statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    reason: Mapped[SuppressionReason] = mapped_column(string_enum(SuppressionReason, "suppression_reason"))
    #: The update whose link (or bounce) caused it, for the history's "unsubscribes that followed".
    mailing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mailings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
