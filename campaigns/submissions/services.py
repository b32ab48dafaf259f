"""Recording where a statement was sent, what came back, and who is late.

Every function takes the acting user (or none, for the reminder job), checks the rules, writes the
audit log, queues any email and flushes; the caller commits.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation
from campaigns.organisations.permissions import require_platform_admin
from campaigns.slugs import free_slug
from campaigns.statements.models import Agreement, Participant, ParticipantStatus, Revision, Stage, Statement
from campaigns.statements.permissions import AUTHORS, EDITORS, Action, acting_organisation, can, part_of
from campaigns.submissions import emails, signatories
from campaigns.submissions.blueprint import format_day
from campaigns.submissions.models import (
    AWAITING,
    Channel,
    ReminderKind,
    ReminderSent,
    Response,
    ResponseKind,
    Stance,
    Submission,
    SubmissionStatus,
    Target,
    TargetKind,
)
from campaigns.submissions.workdays import DEFAULT_INTERVAL, add_working_days, working_days_between
from campaigns.timezone import LONDON


class NotAgreed(DomainError):
    """Only an agreed text can be sent."""

    status_code = 409


class BadDate(DomainError):
    status_code = 400


class UnknownTarget(DomainError):
    status_code = 400


# Targets


@dataclass(frozen=True)
class TargetDetails:
    kind: TargetKind
    name: str
    short_name: str = ""
    website: str = ""
    contact_email: str = ""
    postal_address: str = ""
    notes: str = ""


def _apply(target: Target, details: TargetDetails) -> None:
    for name in ("kind", "name", "short_name", "website", "contact_email", "postal_address", "notes"):
        setattr(target, name, getattr(details, name))


def create_target(details: TargetDetails, *, actor: User | None, statement: Statement | None = None) -> Target:
    """Platform admins add to the directory; a statement's editors add a target of kind "other" to it alone.

    `actor` None is the seeding command.
    """
    if statement is not None:
        if actor is None or not can(actor, statement, Action.EDIT):
            raise PermissionDenied("Only the statement's editors can add a target to it.")
        if details.kind != TargetKind.OTHER:
            raise DomainError("A statement's own targets are of the kind “other body”; ask an admin for the rest.")
    elif actor is not None:
        require_platform_admin(actor)
    target = Target(
        slug=free_slug(Target.slug, details.name, fallback="target"), statement_id=statement.id if statement else None
    )
    _apply(target, details)
    with constraint_errors({"uq_submission_targets_slug": lambda: Conflict("That target was added a moment ago.")}):
        db.session.add(target)
    record(actor, "target.added", target, name=target.name, statement=statement.id if statement else None)
    return target


def update_target(target: Target, details: TargetDetails, *, actor: User) -> None:
    require_platform_admin(actor)
    _apply(target, details)
    record(actor, "target.updated", target, name=target.name)
    db.session.flush()


def retire_target(target: Target, *, actor: User, retire: bool = True) -> None:
    """A retired target keeps its submissions and page but is no longer offered for new ones."""
    require_platform_admin(actor)
    target.retired_at = utcnow() if retire else None
    record(actor, "target.retired" if retire else "target.restored", target, name=target.name)
    db.session.flush()


def targets_for(statement: Statement | None = None) -> list[Target]:
    """Targets that can be chosen: the directory's, and the statement's own."""
    condition = Target.statement_id.is_(None)
    if statement is not None:
        condition = condition | (Target.statement_id == statement.id)
    return list(
        db.session.scalars(
            sa.select(Target).where(condition, Target.retired_at.is_(None)).order_by(Target.kind, Target.name)
        )
    )


# Submissions


@dataclass(frozen=True)
class SubmissionDetails:
    channel: Channel
    sent_on: date | None  # None: planned, not sent yet
    revision: Revision | None = None  # None: the agreed text
    reference: str = ""
    sent_by: str = ""
    notes: str = ""
    expected_by: date | None = None  # None: 20 working days after sending


def agreed_revisions(statement: Statement) -> list[Revision]:
    """Every revision the authors agreed, newest first: what may be sent."""
    return list(
        db.session.scalars(
            sa.select(Revision)
            .join(Agreement, Agreement.revision_id == Revision.id)
            .where(Agreement.statement_id == statement.id)
            .order_by(Revision.number.desc())
        )
    )


def _require_sendable(statement: Statement) -> None:
    if statement.agreed_revision_id is None or statement.stage not in (Stage.AGREED, Stage.OPEN, Stage.CLOSED):
        raise NotAgreed("Only an agreed statement can be sent. Agree the text with your co-authors first.")


def agreed_on(revision: Revision) -> date | None:
    """The day (UK time) the authors agreed `revision`; None if they never did."""
    agreed_at = db.session.scalar(sa.select(Agreement.agreed_at).where(Agreement.revision_id == revision.id))
    return agreed_at.astimezone(LONDON).date() if agreed_at is not None else None


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


def record_submissions(
    statement: Statement,
    targets: list[Target],
    details: SubmissionDetails,
    *,
    actor: User,
    today: date,
    acting_for: Organisation | None = None,
) -> list[Submission]:
    """Record the statement sent (or planned) to each target: one submission per target."""
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
            actor,
            "submission.recorded",
            statement,
            organisation=organisation,
            submission=submission.id,
            target=target.name,
            status=submission.status.value,
        )
        submissions.append(submission)
    db.session.flush()
    return submissions


def require_editor(submission: Submission, actor: User) -> None:
    if not can(actor, submission.statement, Action.EDIT):
        raise PermissionDenied("Only the statement's editors can change its submissions.")


def mark_sent(
    submission: Submission, sent_on: date, *, actor: User, today: date, expected_by: date | None = None
) -> None:
    """A planned submission went out: the signatories are frozen as they stood on the date sent."""
    require_editor(submission, actor)
    if submission.status != SubmissionStatus.PLANNED:
        raise Conflict("This submission has already been sent.")
    _start_clock(submission, sent_on, expected_by, today)
    record(actor, "submission.sent", submission.statement, submission=submission.id, sent_on=sent_on.isoformat())
    db.session.flush()


def change_dates(submission: Submission, *, expected_by: date, promised_by: date | None, actor: User) -> None:
    """Change when a reply is expected, or record a date the target promised to reply by."""
    require_editor(submission, actor)
    if submission.sent_on is None:
        raise Conflict("Record the submission as sent first.")
    if expected_by < submission.sent_on or (promised_by is not None and promised_by < submission.sent_on):
        raise BadDate("Dates for a reply must be on or after the date sent.")
    submission.expected_by = expected_by
    submission.interval_days = max(1, working_days_between(submission.sent_on, expected_by))
    submission.promised_by = promised_by
    record(
        actor,
        "submission.dates_changed",
        submission.statement,
        submission=submission.id,
        expected_by=expected_by.isoformat(),
        promised_by=promised_by.isoformat() if promised_by else None,
    )
    db.session.flush()


def close_submission(submission: Submission, *, actor: User) -> None:
    require_editor(submission, actor)
    submission.status = SubmissionStatus.CLOSED
    submission.closed_at = utcnow()
    record(actor, "submission.closed", submission.statement, submission=submission.id)
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
    require_editor(submission, actor)
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
        actor,
        "submission.response_recorded",
        submission.statement,
        submission=submission.id,
        response=response.id,
        kind=details.kind.value,
    )
    return response


# Lateness


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


# Reminders


def editors_of(statement: Statement) -> list[User]:
    """The people who edit for the statement's author organisations: they hear about late replies."""
    rows = db.session.execute(
        sa.select(Participant, User)
        .join(Membership, Membership.organisation_id == Participant.organisation_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Participant.statement_id == statement.id,
            Participant.status == ParticipantStatus.ACTIVE,
            Membership.role.in_(EDITORS),
        )
        .order_by(User.email)
    ).all()
    seen: dict[int, User] = {}
    for participant, user in rows:
        if part_of(participant) in AUTHORS:
            seen.setdefault(user.id, user)
    return list(seen.values())


@dataclass
class ReminderRun:
    sent: list[tuple[Submission, ReminderKind]] = field(default_factory=list)


def _transitions(submission: Submission, today: date) -> list[tuple[ReminderKind, date]]:
    found = []
    if submission.promised_by is not None and today > submission.promised_by:
        found.append((ReminderKind.PROMISE_PASSED, submission.promised_by))
    state = standing(submission, today)
    if state in (Standing.OVERDUE, Standing.VERY_OVERDUE) and submission.promised_by is None:
        found.append((ReminderKind.OVERDUE, submission.expected_by))
    if state == Standing.VERY_OVERDUE:
        very = very_overdue_from(submission)
        assert very is not None
        found.append((ReminderKind.VERY_OVERDUE, very))
    return found  # type: ignore[return-value]


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
            record(None, f"submission.reminder_{kind.value}", submission.statement, submission=submission.id)
            run.sent.append((submission, kind))
    db.session.flush()
    return run


def find_target(target_id: int) -> Target:
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound("We could not find that target.")
    return target


def new_stored_name() -> str:
    return secrets.token_hex(16)
