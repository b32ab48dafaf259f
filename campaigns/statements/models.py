"""Joint position statements: their immutable revisions, participating organisations, sign-off,
comments and proposed amendments."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation


class Topic(enum.StrEnum):
    LOCAL_GOVERNMENT_FUNDING = "local_government_funding"
    SOCIAL_SECURITY = "social_security"
    EMPLOYMENT_SUPPORT = "employment_support"
    GROWTH = "growth"
    OTHER = "other"

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]


TOPIC_LABELS = {
    Topic.LOCAL_GOVERNMENT_FUNDING: "Local government funding",
    Topic.SOCIAL_SECURITY: "Social security and welfare",
    Topic.EMPLOYMENT_SUPPORT: "Welfare-to-work and employment support",
    Topic.GROWTH: "The growth agenda",
    Topic.OTHER: "Other",
}


class Stage(enum.StrEnum):
    """Where a statement is in its life. A newer draft of an agreed statement does not change its stage:
    see Statement.has_newer_draft."""

    DRAFT = "draft"
    IN_AGREEMENT = "in_agreement"
    AGREED = "agreed"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.DRAFT: "Draft",
    Stage.IN_AGREEMENT: "In agreement",
    Stage.AGREED: "Agreed",
    Stage.OPEN: "Open for signatures",
    Stage.CLOSED: "Closed",
}


class Statement(Model):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    lead_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    stage: Mapped[Stage] = mapped_column(string_enum(Stage, "statement_stage"), default=Stage.DRAFT)
    #: The latest revision: what editors edit.
    current_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revisions.id", use_alter=True, name="fk_statements_current_revision_id_revisions")
    )
    #: The revision put to the co-authors for agreement, while that is under way.
    proposed_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revisions.id", use_alter=True, name="fk_statements_proposed_revision_id_revisions")
    )
    #: The last revision every co-author agreed: the published text.
    agreed_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revisions.id", use_alter=True, name="fk_statements_agreed_revision_id_revisions")
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    agreed_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    lead_organisation: Mapped[Organisation] = relationship()
    current_revision: Mapped[Revision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)
    proposed_revision: Mapped[Revision | None] = relationship(foreign_keys=[proposed_revision_id], post_update=True)
    agreed_revision: Mapped[Revision | None] = relationship(foreign_keys=[agreed_revision_id], post_update=True)
    #: The topics it is listed under publicly: those of the agreed revision (or of the first draft until then).
    topics: Mapped[list[StatementTopic]] = relationship(
        back_populates="statement", lazy="selectin", cascade="all, delete-orphan", order_by="StatementTopic.topic"
    )
    participants: Mapped[list[Participant]] = relationship(back_populates="statement", lazy="raise")

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.slug} {self.stage}>"

    @property
    def latest_revision(self) -> Revision:
        """The revision editors edit. Every statement has one from the moment it is started."""
        if self.current_revision is None:
            raise LookupError(f"Statement {self.id} has no revision")
        return self.current_revision

    @property
    def published_revision(self) -> Revision:
        """The text every co-author agreed, which the public reads. Only for a statement that has been agreed."""
        if self.agreed_revision is None:
            raise LookupError(f"Statement {self.id} has not been agreed")
        return self.agreed_revision

    @property
    def topic_values(self) -> list[Topic]:
        return [Topic(row.topic) for row in self.topics]

    @property
    def is_published(self) -> bool:
        return self.stage in (Stage.OPEN, Stage.CLOSED)

    @property
    def has_newer_draft(self) -> bool:
        """An agreed statement whose text has been edited since: the agreed text stays published."""
        return self.agreed_revision_id is not None and self.current_revision_id != self.agreed_revision_id


class StatementTopic(Model):
    __tablename__ = "statement_topics"

    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[Topic] = mapped_column(string_enum(Topic, "statement_topic"), primary_key=True, index=True)

    statement: Mapped[Statement] = relationship(back_populates="topics")


class Revision(Model):
    """The full text of a statement at one save. Never changed or deleted (the database refuses)."""

    __tablename__ = "revisions"
    __table_args__ = (sa.UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"))
    #: 1, 2, 3... within the statement; shown to people and used in permalinks.
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    asks: Mapped[list[str]] = mapped_column(sa.JSON)
    #: Topic values, sorted. The statement's listed topics are those of its agreed revision.
    topics: Mapped[list[str]] = mapped_column(sa.JSON)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The organisation the author acted for.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    change_note: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    #: The revision the author started from; differs from the previous one when their edit was merged.
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id"))
    restored_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])

    def __repr__(self) -> str:
        return f"<Revision {self.number} of statement {self.statement_id}>"

    @property
    def topic_values(self) -> list[Topic]:
        return [Topic(value) for value in self.topics]


class ParticipantRole(enum.StrEnum):
    LEAD = "lead"
    CO_AUTHOR = "co_author"
    REVIEWER = "reviewer"

    @property
    def label(self) -> str:
        return {"lead": "Lead", "co_author": "Co-author", "reviewer": "Reviewer"}[self.value]


class ParticipantStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DECLINED = "declined"
    STEPPED_DOWN = "stepped_down"
    WITHDRAWN = "withdrawn"


class Participant(Model):
    """An organisation's part in a statement: lead, co-author or reviewer, and where its invitation stands."""

    __tablename__ = "statement_participants"
    __table_args__ = (sa.UniqueConstraint("statement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(string_enum(ParticipantRole, "participant_role"))
    status: Mapped[ParticipantStatus] = mapped_column(string_enum(ParticipantStatus, "participant_status"))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    responded_at: Mapped[datetime | None]
    #: Why an invitation was declined or a co-author stepped down: seen by the participants only, never public.
    private_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    statement: Mapped[Statement] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == ParticipantStatus.ACTIVE

    @property
    def is_author(self) -> bool:
        return self.role in (ParticipantRole.LEAD, ParticipantRole.CO_AUTHOR)


class Decision(enum.StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class Approval(Model):
    """An author organisation's answer to a revision proposed for agreement, given by its signatory."""

    __tablename__ = "approvals"
    __table_args__ = (sa.UniqueConstraint("revision_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    decision: Mapped[Decision] = mapped_column(string_enum(Decision, "approval_decision"))
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    decided_by: Mapped[User | None] = relationship()


class Agreement(Model):
    """A revision every author organisation agreed. The latest is the published text; earlier ones stay citable."""

    __tablename__ = "agreements"
    __table_args__ = (sa.UniqueConstraint("revision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)

    revision: Mapped[Revision] = relationship()


class Comment(Model):
    """On the whole statement, or on one paragraph of one revision; replies hang off a top-level comment."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    #: Index of the paragraph in that revision's body, or None for the statement as a whole.
    paragraph: Mapped[int | None]
    #: The paragraph's text when the comment was made, to tell later readers if it has changed since.
    quoted: Mapped[str | None] = mapped_column(sa.Text)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    revision: Mapped[Revision] = relationship()


class AmendmentStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    OUTDATED = "outdated"


class Amendment(Model):
    """A proposed change to the text, with the whole proposed text and a rationale."""

    __tablename__ = "amendments"
    __table_args__ = (sa.UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), index=True)
    number: Mapped[int]
    base_revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    asks: Mapped[list[str]] = mapped_column(sa.JSON)
    rationale: Mapped[str] = mapped_column(sa.Text)
    proposer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    status: Mapped[AmendmentStatus] = mapped_column(
        string_enum(AmendmentStatus, "amendment_status"), default=AmendmentStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The revision that accepting it created.
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id"))

    base_revision: Mapped[Revision] = relationship(foreign_keys=[base_revision_id])
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    organisation: Mapped[Organisation | None] = relationship()
