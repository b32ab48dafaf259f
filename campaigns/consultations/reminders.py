"""Reminding a response's co-authors that its consultation is closing: at 10, 5 and 1 working days before the
closing day (England and Wales working days, as submissions count them), once each, saying whose sign-off is still
missing. For the daily job."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.consultations import emails
from campaigns.consultations.models import Consultation, ConsultationResponse, DeadlineReminder
from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import queries as statement_queries
from campaigns.statements.models import Stage, Statement
from campaigns.submissions.queries import editors_of
from campaigns.submissions.workdays import subtract_working_days
from campaigns.timezone import LONDON

#: Working days before the closing day on which the co-authors are reminded.
DAYS_BEFORE = (10, 5, 1)


@dataclass
class ReminderRun:
    sent: list[tuple[ConsultationResponse, int]] = field(default_factory=list)


def closing_day(consultation: Consultation) -> date:
    """The day (UK) the consultation closes on."""
    return consultation.closes_at.astimezone(LONDON).date()


def due_on(consultation: Consultation, days_before: int) -> date:
    """The day of the reminder `days_before` working days before the closing day."""
    return subtract_working_days(closing_day(consultation), days_before)


@dataclass(frozen=True)
class SignOff:
    """Where sign-off stands: done, or which author organisations have still to agree the text put to them."""

    done: bool
    proposed: bool
    missing: tuple[Organisation, ...] = ()


def sign_off(statement: Statement) -> SignOff:
    """Whether every co-author organisation has agreed the latest text, and if not who is missing."""
    if statement.proposed_revision is not None:
        agreed = {o.id for o in statement_queries.agreeing_organisations(statement, statement.proposed_revision)}
        missing = tuple(o for o in statement_queries.author_organisations(statement) if o.id not in agreed)
        return SignOff(done=False, proposed=True, missing=missing)
    if statement.agreed_revision_id is not None and not statement.has_newer_draft:
        return SignOff(done=True, proposed=True)
    return SignOff(done=False, proposed=False)


def send_reminders(today: date, now: datetime) -> ReminderRun:
    """Email the co-author editors of each response whose consultation closes soon, once per reminder day: a row
    per reminder, whose unique constraint refuses a second. When a run was missed, only the nearest reminder goes."""
    run = ReminderRun()
    responses = db.session.scalars(
        sa.select(ConsultationResponse)
        .join(Consultation, Consultation.id == ConsultationResponse.consultation_id)
        .join(Statement, Statement.id == ConsultationResponse.statement_id)
        .where(Consultation.closes_at > now, Statement.stage != Stage.CLOSED)
        .options(
            sa.orm.joinedload(ConsultationResponse.consultation), sa.orm.joinedload(ConsultationResponse.statement)
        )
    ).all()
    for response in responses:
        consultation = response.consultation
        closes_on = closing_day(consultation)
        due = [days for days in DAYS_BEFORE if today >= due_on(consultation, days)]
        if not due:
            continue
        already = set(
            db.session.scalars(
                sa.select(DeadlineReminder.days_before).where(
                    DeadlineReminder.response_id == response.id, DeadlineReminder.closes_on == closes_on
                )
            )
        )
        if min(due) in already:
            continue
        try:
            with constraint_errors(
                {"uq_consultation_reminders_response_id_days_before_closes_on": lambda: Conflict("reminded already")}
            ):
                for days in due:
                    if days not in already:
                        db.session.add(DeadlineReminder(response_id=response.id, days_before=days, closes_on=closes_on))
        except Conflict:
            continue  # another run sent it a moment ago
        days = min(due)
        standing = sign_off(response.statement)
        for editor in editors_of(response.statement):
            emails.send_deadline_reminder(editor, response, days, standing)
        record("consultation.deadline_reminder", response.statement, days_before=days, actor=None)
        run.sent.append((response, days))
    db.session.flush()
    return run
