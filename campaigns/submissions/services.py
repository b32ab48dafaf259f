"""Recording where a statement was sent and what came back.

Every function takes the acting user (or none, for the reminder job), checks the rules, writes the
audit log, queues any email and flushes; the caller commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Revision, Stage, Statement
from campaigns.statements.permissions import Action, acting_organisation, can
from campaigns.submissions import events, signatories
from campaigns.submissions.blueprint import format_day
from campaigns.submissions.models import (
    Channel,
    Response,
    ResponseKind,
    Stance,
    Submission,
    SubmissionStatus,
    Target,
)
from campaigns.submissions.queries import agreed_on, agreed_revisions, targets_for
from campaigns.submissions.workdays import DEFAULT_INTERVAL, add_working_days, working_days_between


class NotAgreed(DomainError):
    """Only an agreed text can be sent."""

    status_code = 409


class BadDate(DomainError):
    status_code = 400


class UnknownTarget(DomainError):
    status_code = 400


@dataclass(frozen=True)
class SubmissionDetails:
    channel: Channel
    sent_on: date | None  # None: planned, not sent yet
    revision: Revision | None = None  # None: the agreed text
    reference: str = ""
    sent_by: str = ""
    notes: str = ""
    expected_by: date | None = None  # None: 20 working days after sending


def _require_sendable(statement: Statement) -> None:
    if statement.agreed_revision_id is None or statement.stage not in (Stage.AGREED, Stage.OPEN, Stage.CLOSED):
        raise NotAgreed("Only an agreed statement can be sent. Agree the text with your co-authors first.")


def _check_sent_on(sent_on: date, today: date, revision: Revision) -> None:
    if sent_on > today:
        raise BadDate("The date sent must be today or in the past.")
    agreed = agreed_on(revision)
    if agreed is not None and sent_on < agreed:
        raise BadDate(
            f"The date sent cannot be before {format_day(agreed)}, when revision {revision.number} "
            "was agreed: a text cannot be sent before its authors agreed it."
        )


def _start_clock(submission: Submission, sent_on: date, expected_by: date | None, today: date) -> None:
    """Record it sent on `sent_on`, start waiting for a reply, and freeze the list as it stood that day."""
    _check_sent_on(sent_on, today, submission.revision)
    if expected_by is not None and expected_by < sent_on:
        raise BadDate("The date a reply is expected must be on or after the date sent.")
    submission.sent_on = sent_on
    submission.expected_by = expected_by or add_working_days(sent_on, DEFAULT_INTERVAL)
    submission.interval_days = max(1, working_days_between(sent_on, submission.expected_by))
    submission.status = SubmissionStatus.SENT
    signatories.freeze(submission)
    events.submission_sent.send(submission)


def record_submissions(
    statement: Statement,
    targets: list[Target],
    details: SubmissionDetails,
    *,
    actor: User,
    today: date,
    acting_for: Organisation | None = None,
) -> list[Submission]:
    """Record the statement sent (or planned) to each target: one submission per target. Other areas may refuse a
    target first (events.before_recording)."""
    organisation = acting_organisation(actor, statement, Action.EDIT, acting_for)
    _require_sendable(statement)
    if not targets:
        raise UnknownTarget("Choose at least one target.")
    allowed = {target.id for target in targets_for(statement)}
    if any(target.id not in allowed for target in targets):
        raise UnknownTarget("Choose targets from the list.")
    revision = details.revision or statement.agreed_revision
    if revision is None or revision.id not in {r.id for r in agreed_revisions(statement)}:
        raise NotAgreed("Only an agreed revision of the statement can be sent.")
    if details.sent_on is not None:
        _check_sent_on(details.sent_on, today, revision)
    events.before_recording.send(statement, targets=targets)
    submissions = []
    for target in targets:
        submission = Submission(
            statement_id=statement.id,
            target_id=target.id,
            revision_id=revision.id,
            organisation_id=organisation.id,
            channel=details.channel,
            reference=details.reference,
            sent_by=details.sent_by,
            notes=details.notes,
            recorded_by_id=actor.id,
            status=SubmissionStatus.PLANNED,
            signatory_counts={},
        )
        db.session.add(submission)
        db.session.flush()
        if details.sent_on is not None:
            _start_clock(submission, details.sent_on, details.expected_by, today)
        record(
            "submission.recorded",
            statement,
            organisation=organisation,
            submission=submission.id,
            target=target.name,
            status=submission.status.value,
            actor=actor,
        )
        submissions.append(submission)
    db.session.flush()
    return submissions


def require_editor(submission: Submission, *, actor: User) -> None:
    """Refuse (PermissionDenied) anyone who may not edit the submission's statement."""
    if not can(actor, submission.statement, Action.EDIT):
        raise PermissionDenied("Only the statement's editors can change its submissions.")


def mark_sent(
    submission: Submission, sent_on: date, *, actor: User, today: date, expected_by: date | None = None
) -> None:
    """A planned submission went out: the signatories are frozen as they stood on the date sent."""
    require_editor(submission, actor=actor)
    if submission.status != SubmissionStatus.PLANNED:
        raise Conflict("This submission has already been sent.")
    _start_clock(submission, sent_on, expected_by, today)
    record("submission.sent", submission.statement, submission=submission.id, sent_on=sent_on.isoformat(), actor=actor)
    db.session.flush()


def change_dates(submission: Submission, *, expected_by: date, promised_by: date | None, actor: User) -> None:
    """Change when a reply is expected, or record a date the target promised to reply by."""
    require_editor(submission, actor=actor)
    if submission.sent_on is None:
        raise Conflict("Record the submission as sent first.")
    if expected_by < submission.sent_on or (promised_by is not None and promised_by < submission.sent_on):
        raise BadDate("Dates for a reply must be on or after the date sent.")
    submission.expected_by = expected_by
    submission.interval_days = max(1, working_days_between(submission.sent_on, expected_by))
    submission.promised_by = promised_by
    record(
        "submission.dates_changed",
        submission.statement,
        submission=submission.id,
        expected_by=expected_by.isoformat(),
        promised_by=promised_by.isoformat() if promised_by else None,
        actor=actor,
    )
    db.session.flush()


def close_submission(submission: Submission, *, actor: User) -> None:
    """Close a submission (editors only): it no longer counts as waiting for a reply or overdue."""
    require_editor(submission, actor=actor)
    submission.status = SubmissionStatus.CLOSED
    submission.closed_at = utcnow()
    record("submission.closed", submission.statement, submission=submission.id, actor=actor)
    db.session.flush()


@dataclass(frozen=True)
class ResponseDetails:
    kind: ResponseKind
    received_on: date
    from_whom: str
    summary: str
    full_text: str = ""
    stance: Stance = Stance.NO_POSITION
    is_public: bool = False
    follow_up: str = ""
    promised_by: date | None = None


def record_response(submission: Submission, details: ResponseDetails, *, actor: User, today: date) -> Response:
    """Log a reply. An acknowledgement marks the submission acknowledged, a full reply marks it answered."""
    require_editor(submission, actor=actor)
    if submission.sent_on is None:
        raise Conflict("Record the submission as sent before logging a reply.")
    if details.received_on < submission.sent_on:
        raise BadDate("A reply cannot be received before the submission was sent.")
    if details.received_on > today:
        raise BadDate("The date received must be today or in the past.")
    if details.promised_by is not None and details.promised_by < details.received_on:
        raise BadDate("A promised date must be after the reply was received.")
    response = Response(
        submission_id=submission.id,
        kind=details.kind,
        received_on=details.received_on,
        from_whom=details.from_whom,
        summary=details.summary,
        full_text=details.full_text,
        stance=details.stance,
        is_public=details.is_public,
        follow_up=details.follow_up,
        recorded_by_id=actor.id,
    )
    db.session.add(response)
    if details.kind == ResponseKind.FULL and submission.status != SubmissionStatus.CLOSED:
        submission.status = SubmissionStatus.RESPONDED
    elif submission.status == SubmissionStatus.SENT:
        submission.status = SubmissionStatus.ACKNOWLEDGED
    if details.promised_by is not None:
        submission.promised_by = details.promised_by
    db.session.flush()
    record(
        "submission.response_recorded",
        submission.statement,
        submission=submission.id,
        response=response.id,
        kind=details.kind.value,
        actor=actor,
    )
    events.reply_logged.send(response)
    return response


def new_stored_name() -> str:
    """A random file name for an upload, never derived from what the uploader called it."""
    return secrets.token_hex(16)
