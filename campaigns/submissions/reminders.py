"""Reminding the editors of a statement about late replies: once per submission and transition (overdue, very
overdue, a promised date passed), for the hourly job."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.submissions import emails
from campaigns.submissions.lateness import Standing, standing, very_overdue_from
from campaigns.submissions.models import AWAITING, ReminderKind, ReminderSent, Submission
from campaigns.submissions.queries import editors_of


@dataclass
class ReminderRun:
    sent: list[tuple[Submission, ReminderKind]] = field(default_factory=list)


def _transitions(submission: Submission, today: date) -> list[tuple[ReminderKind, date]]:
    found: list[tuple[ReminderKind, date]] = []
    if submission.promised_by is not None and today > submission.promised_by:
        found.append((ReminderKind.PROMISE_PASSED, submission.promised_by))
    state = standing(submission, today)
    overdue = state in (Standing.OVERDUE, Standing.VERY_OVERDUE)
    if overdue and submission.promised_by is None and submission.expected_by is not None:
        found.append((ReminderKind.OVERDUE, submission.expected_by))
    if state == Standing.VERY_OVERDUE:
        very = very_overdue_from(submission)
        assert very is not None
        found.append((ReminderKind.VERY_OVERDUE, very))
    return found


def send_reminders(today: date) -> ReminderRun:
    """Email the editors about each submission that became overdue or very overdue, or whose promised date
    passed, once per transition: a row per reminder, whose unique constraint refuses a second."""
    run = ReminderRun()
    submissions = db.session.scalars(
        sa.select(Submission).where(
            Submission.status.in_(AWAITING), (Submission.expected_by < today) | (Submission.promised_by < today)
        )
    ).all()
    for submission in submissions:
        for kind, due_on in _transitions(submission, today):
            already = db.session.scalar(
                sa.select(ReminderSent.id).where(
                    ReminderSent.submission_id == submission.id,
                    ReminderSent.kind == kind,
                    ReminderSent.due_on == due_on,
                )
            )
            if already is not None:
                continue
            try:
                with constraint_errors(
                    {"uq_submission_reminders_submission_id_kind_due_on": lambda: Conflict("reminded already")}
                ):
                    db.session.add(ReminderSent(submission_id=submission.id, kind=kind, due_on=due_on))
            except Conflict:
                continue  # another run sent it a moment ago
            for editor in editors_of(submission.statement):
                emails.send_reminder(editor, submission, kind, today=today)
            record(f"submission.reminder_{kind.value}", submission.statement, submission=submission.id, actor=None)
            run.sent.append((submission, kind))
    db.session.flush()
    return run
