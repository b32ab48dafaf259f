"""Consultations (a department's numbered questions, open until a closing date and time) and the statements that
respond to them."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Statement
from campaigns.web_addresses import WebAddress


class Consultation(Model):
    """A consultation or call for evidence: who runs it, when it opens and closes (UTC), and how to respond."""

    __tablename__ = "consultations"
    __table_args__ = (
        sa.CheckConstraint("opens_at IS NULL OR closes_at > opens_at", name="closes_after_opening"),
        sa.Index("ix_consultations_closes_at", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: The department (or departments) running it, as they name themselves.
    department: Mapped[str] = mapped_column(sa.String(300))
    #: Its page (on GOV.UK, usually).
    link: Mapped[str] = mapped_column(WebAddress(), default="", server_default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    #: The ways to respond it names: an email address, an online form's address, a postal address.
    response_email: Mapped[str] = mapped_column(sa.String(320), default="", server_default="")
    response_url: Mapped[str] = mapped_column(WebAddress(), default="", server_default="")
    postal_address: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The organisation whose editor added it: its editors (and platform admins) keep it up to date.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation", lazy="selectin", order_by="Question.position", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime) -> bool:
        """Whether responses are taken at `now`: opened (or no opening given) and not yet closed."""
        return (self.opens_at is None or self.opens_at <= now) and now < self.closes_at


class Question(Model):
    """One numbered question, in the consultation's own numbering ("4", "4a"), under its section heading."""

    __tablename__ = "consultation_questions"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "position"),
        sa.UniqueConstraint("consultation_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id"))
    position: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(20))
    section: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    text: Mapped[str] = mapped_column(sa.Text)
    guidance: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    consultation: Mapped[Consultation] = relationship(back_populates="questions")


class ConsultationResponse(Model):
    """A statement written as the response to a consultation: at most one consultation per statement."""

    __tablename__ = "consultation_responses"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "lead_organisation_id", name="uq_consultation_responses_one_per_lead"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), unique=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id"), index=True)
    #: The statement's lead (which never changes), so that an organisation leads one response to a consultation.
    #: Empty only on a second response one started before that rule: kept, and not counted against it.
    lead_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    #: The numbers of the questions the lead has said the partners will not answer.
    not_answering: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    statement: Mapped[Statement] = relationship()
    consultation: Mapped[Consultation] = relationship()
    outcome: Mapped[Outcome | None] = relationship(lazy="selectin")


class DeadlineReminder(Model):
    """A reminder already sent to a response's co-authors, so many working days before its consultation closes:
    the unique constraint sends each once (a closing date moved to another day reminds again)."""

    __tablename__ = "consultation_reminders"
    __table_args__ = (sa.UniqueConstraint("response_id", "days_before", "closes_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation_responses.id"))
    #: Working days before the closing day: 10, 5 or 1.
    days_before: Mapped[int]
    #: The closing day (UK) it counted back from.
    closes_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Verdict(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"accepted": "Accepted", "partly": "Partly accepted", "rejected": "Rejected"}[self.value]


class Outcome(Model):
    """The government's response to the consultation, as a response's owners recorded it, with a verdict on each
    of the response's asks."""

    __tablename__ = "consultation_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation_responses.id"), unique=True)
    published_on: Mapped[date]
    link: Mapped[str] = mapped_column(WebAddress(), default="", server_default="")
    summary: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    asks: Mapped[list[OutcomeAsk]] = relationship(
        back_populates="outcome", lazy="selectin", order_by="OutcomeAsk.position", cascade="all, delete-orphan"
    )


class OutcomeAsk(Model):
    """What the government said to one of the response's asks."""

    __tablename__ = "consultation_outcome_asks"
    __table_args__ = (sa.UniqueConstraint("outcome_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation_outcomes.id"))
    position: Mapped[int]
    ask: Mapped[str] = mapped_column(sa.Text)
    verdict: Mapped[Verdict] = mapped_column(string_enum(Verdict, "outcome_verdict"))

    outcome: Mapped[Outcome] = relationship(back_populates="asks")
