"""Email about submissions. Each function only queues a message."""

from __future__ import annotations

from datetime import date

from campaigns.accounts.models import User
from campaigns.outbox.services import queue_email
from campaigns.submissions.models import ReminderKind, Submission
from campaigns.urls import external_url

REMINDER_HEADLINES = {
    ReminderKind.OVERDUE: "is overdue",
    ReminderKind.VERY_OVERDUE: "is very overdue",
    ReminderKind.PROMISE_PASSED: "has passed its promised date",
}


def send_reminder(editor: User, submission: Submission, kind: ReminderKind, *, today: date) -> None:
    from campaigns.submissions.workdays import working_days_between

    queue_email(
        editor.email,
        "submission_reminder",
        editor=editor,
        submission=submission,
        headline=REMINDER_HEADLINES[kind],
        kind=kind.value,
        waiting=working_days_between(submission.sent_on, today) if submission.sent_on else 0,
        link=external_url("submissions.show", slug=submission.statement.slug, submission_id=submission.id),
    )
