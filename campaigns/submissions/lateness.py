"""Who is late: a submission's standing (awaiting a reply, overdue, very overdue), when a reply is due, and how
long it has waited, in working days. Plain functions of a submission and a date: no database."""

from __future__ import annotations

import enum
from datetime import date

from campaigns.submissions.models import AWAITING, ResponseKind, Submission, SubmissionStatus
from campaigns.submissions.workdays import add_working_days, working_days_between


class Standing(enum.StrEnum):
    PLANNED = "planned"
    AWAITING = "awaiting"
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"
    RESPONDED = "responded"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        waiting = {"awaiting": "Awaiting reply", "overdue": "Overdue", "very_overdue": "Very overdue"}
        return waiting.get(self.value) or SubmissionStatus(self.value).label


def due_date(submission: Submission) -> date | None:
    """The date a reply is due: a later promised date replaces the expected one."""
    if submission.expected_by is None:
        return None
    if submission.promised_by is not None and submission.promised_by > submission.expected_by:
        return submission.promised_by
    return submission.expected_by


def very_overdue_from(submission: Submission) -> date | None:
    """After this date a reply is very overdue: twice the interval from sending (or past a promise by as long)."""
    due = due_date(submission)
    if due is None or submission.sent_on is None:
        return None
    return max(add_working_days(submission.sent_on, 2 * submission.interval_days), due)


def standing(submission: Submission, today: date) -> Standing:
    if submission.status == SubmissionStatus.PLANNED:
        return Standing.PLANNED
    if submission.status == SubmissionStatus.CLOSED:
        return Standing.CLOSED
    if submission.status == SubmissionStatus.RESPONDED:
        return Standing.RESPONDED
    due = due_date(submission)
    very = very_overdue_from(submission)
    if very is not None and today > very and not _promise_pending(submission, today):
        return Standing.VERY_OVERDUE
    if due is not None and today > due:
        return Standing.OVERDUE
    return Standing.AWAITING


def _promise_pending(submission: Submission, today: date) -> bool:
    return submission.promised_by is not None and submission.promised_by >= today


def waiting_days(submission: Submission, today: date) -> int | None:
    """Working days since sending, for submissions still waiting for a full reply."""
    if submission.status not in AWAITING or submission.sent_on is None:
        return None
    return working_days_between(submission.sent_on, today)


def days_to_respond(submission: Submission) -> int | None:
    """Working days from sending to the first full reply."""
    full = [r.received_on for r in submission.responses if r.kind == ResponseKind.FULL]
    if submission.sent_on is None or not full:
        return None
    return working_days_between(submission.sent_on, min(full))
