"""Reading submissions: a statement's timeline, an organisation's dashboard, a target's record, and the targets,
agreed texts and editors the services need."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.accounts.models import User
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation
from campaigns.statements.models import (
    Agreement,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    Revision,
    Stage,
    Statement,
)
from campaigns.statements.permissions import AUTHORS, EDITORS, part_of
from campaigns.submissions.lateness import Standing, days_to_respond, standing
from campaigns.submissions.models import Attachment, Response, Submission, SubmissionStatus, Target
from campaigns.timezone import LONDON


def _load(query: sa.Select) -> list[Submission]:
    return list(
        db.session.scalars(
            query.options(
                joinedload(Submission.target),
                joinedload(Submission.revision),
                joinedload(Submission.statement).joinedload(Statement.agreed_revision),
            ).order_by(Submission.sent_on.desc().nulls_first(), Submission.id.desc())
        ).unique()
    )


def for_statement(statement: Statement) -> list[Submission]:
    """Every submission of the statement with its target and text, planned ones first, then newest sent."""
    return _load(sa.select(Submission).where(Submission.statement_id == statement.id))


def attachments_of(submission: Submission) -> list[Attachment]:
    """The files attached to a submission, in the order they were added."""
    return list(
        db.session.scalars(
            sa.select(Attachment).where(Attachment.submission_id == submission.id).order_by(Attachment.id)
        )
    )


#: Dashboard filters: which standings each shows.
FILTERS = {
    "awaiting": (Standing.AWAITING, Standing.OVERDUE, Standing.VERY_OVERDUE),
    "overdue": (Standing.OVERDUE, Standing.VERY_OVERDUE),
    "responded": (Standing.RESPONDED,),
}


def for_organisation(
    organisation: Organisation, today: date, *, show: str | None = None, target_id: int | None = None
) -> list[Submission]:
    """Every submission of the statements the organisation leads or co-authors, filtered."""
    authored = sa.select(Participant.statement_id).where(
        Participant.organisation_id == organisation.id,
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.role.in_([ParticipantRole.LEAD, ParticipantRole.CO_AUTHOR]),
    )
    query = sa.select(Submission).where(Submission.statement_id.in_(authored))
    if target_id is not None:
        query = query.where(Submission.target_id == target_id)
    submissions = _load(query)
    if show in FILTERS:
        submissions = [s for s in submissions if standing(s, today) in FILTERS[show]]
    return submissions


def public_for_statement(statement: Statement) -> list[Submission]:
    """Where the statement was sent, for its public page: each target and its replies, newest first (the statement
    and its revision are already loaded, so they are not read again)."""
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.statement_id == statement.id, Submission.status != SubmissionStatus.PLANNED)
            .options(joinedload(Submission.target))
            .order_by(Submission.sent_on.desc().nulls_first(), Submission.id.desc())
        )
    )


@dataclass
class TargetRecord:
    submissions: list[Submission]
    responded: int
    sent: int
    median_days: float | None

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responded / self.sent) if self.sent else None


def target_record(target: Target) -> TargetRecord:
    """The public statements sent to a target, how many it answered and how fast (in working days)."""
    submissions = _load(
        sa.select(Submission)
        .join(Statement, Statement.id == Submission.statement_id)
        .where(
            Submission.target_id == target.id,
            Submission.status != SubmissionStatus.PLANNED,
            Statement.stage.in_([Stage.OPEN, Stage.CLOSED]),
        )
    )
    days = [d for d in (days_to_respond(s) for s in submissions) if d is not None]
    return TargetRecord(
        submissions=submissions,
        responded=len(days),
        sent=len(submissions),
        median_days=statistics.median(days) if days else None,
    )


def _public_replies(condition: sa.ColumnElement[bool], limit: int) -> list[Response]:
    return list(
        db.session.scalars(
            sa.select(Response)
            .join(Submission, Submission.id == Response.submission_id)
            .join(Statement, Statement.id == Submission.statement_id)
            .where(
                condition,
                Response.is_public.is_(True),
                Submission.status != SubmissionStatus.PLANNED,
                Statement.stage.in_([Stage.OPEN, Stage.CLOSED]),
            )
            .options(
                joinedload(Response.submission).joinedload(Submission.target),
                joinedload(Response.submission).joinedload(Submission.revision),
                joinedload(Response.submission).joinedload(Submission.statement),
            )
            .order_by(Response.received_on.desc(), Response.id.desc())
            .limit(limit)
        )
    )


def public_replies_to(statement: Statement, limit: int = 50) -> list[Response]:
    """The public replies to a published statement, newest first, for its Atom feed."""
    return _public_replies(Submission.statement_id == statement.id, limit)


def public_replies_from(target: Target, limit: int = 50) -> list[Response]:
    """The public replies a target has sent about published statements, newest first, for its Atom feed."""
    return _public_replies(Submission.target_id == target.id, limit)


def directory(include_retired: bool = False) -> list[Target]:
    """The shared targets (not a statement's own), by kind and name; retired ones only when asked."""
    query = sa.select(Target).where(Target.statement_id.is_(None))
    if not include_retired:
        query = query.where(Target.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(Target.kind, Target.name)))


def target_by_slug(slug: str) -> Target:
    """The target at `slug`; 404 if there is none."""
    target = db.session.scalar(sa.select(Target).where(Target.slug == slug))
    if target is None:
        raise NotFound("We could not find that target.")
    return target


def submission_of(statement: Statement, submission_id: int) -> Submission:
    """One of the statement's submissions; any other id is not found."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.statement_id != statement.id:
        raise NotFound("We could not find that submission.")
    return submission


DIGEST = re.compile(r"^[0-9a-f]{64}$")


def submission_by_digest(digest: str) -> Submission:
    """The submission whose frozen list has this SHA-256 digest (a printed pack's /verify address); 404 otherwise."""
    submission = (
        db.session.scalar(sa.select(Submission).where(Submission.digest == digest.lower()))
        if DIGEST.match(digest.lower())
        else None
    )
    if submission is None:
        raise NotFound(
            "No submission list has that digest. Check the address against the pack: it is 64 letters a to f and "
            "digits."
        )
    return submission


def attachment_of(submission: Submission, attachment_id: int) -> Attachment:
    """One of the submission's files; any other id is not found."""
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.submission_id != submission.id:
        raise NotFound("We could not find that file.")
    return found


def targets_for(statement: Statement | None = None) -> list[Target]:
    """Targets that can be chosen: the directory's, and the statement's own."""
    condition: sa.ColumnElement[bool] = Target.statement_id.is_(None)
    if statement is not None:
        condition = condition | (Target.statement_id == statement.id)
    return list(
        db.session.scalars(
            sa.select(Target).where(condition, Target.retired_at.is_(None)).order_by(Target.kind, Target.name)
        )
    )


def find_target(target_id: int) -> Target:
    """The target with this id, or NotFound."""
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound("We could not find that target.")
    return target


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


def agreed_on(revision: Revision) -> date | None:
    """The day (UK time) the authors agreed `revision`; None if they never did."""
    agreed_at = db.session.scalar(sa.select(Agreement.agreed_at).where(Agreement.revision_id == revision.id))
    return agreed_at.astimezone(LONDON).date() if agreed_at is not None else None


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
