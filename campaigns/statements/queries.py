"""Read-only queries for statements. Lists are loaded eagerly."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaigns.accounts.models import User
from campaigns.caching import once_per_request
from campaigns.database import session_memo
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.matching import search
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.statements.models import (
    Agreement,
    Approval,
    Decision,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    Revision,
    Stage,
    Statement,
    StatementTopic,
    Topic,
)


def statement_by_slug(slug: str) -> Statement:
    """The statement at `slug`, whoever may see it (check that next); 404 if there is none."""
    statement = db.session.scalar(
        sa.select(Statement)
        .where(Statement.slug == slug)
        .options(joinedload(Statement.lead_organisation), joinedload(Statement.current_revision))
    )
    if statement is None:
        raise NotFound("We could not find that statement.")
    return statement


def published_by_slug(slug: str) -> Statement:
    """The published statement at `slug`, or NotFound. Read once per request: a public page's cache tag and the
    page itself both need it (one statement query and its topics fewer per page)."""
    return once_per_request(("published statement", slug), lambda: require_published(statement_by_slug(slug)))


def require_published(statement: Statement | None) -> Statement:
    """`statement` if it is there and published, else NotFound."""
    if statement is None or not statement.is_published:
        raise NotFound("We could not find that statement.")
    return statement


def revision_number(statement: Statement, number: int) -> Revision:
    """The statement's revision with this number, or NotFound."""
    revision = db.session.scalar(
        sa.select(Revision).where(Revision.statement_id == statement.id, Revision.number == number)
    )
    if revision is None:
        raise NotFound(f"This statement has no revision {number}.")
    return revision


def revision_by_id(statement: Statement, revision_id: int | None) -> Revision | None:
    """The statement's revision with this id, or None (also for another statement's revision)."""
    if revision_id is None:
        return None
    return db.session.scalar(
        sa.select(Revision).where(Revision.statement_id == statement.id, Revision.id == revision_id)
    )


def revisions(statement: Statement) -> list[Revision]:
    """Every revision of the statement with its author and organisation, newest first."""
    return list(
        db.session.scalars(
            sa.select(Revision)
            .where(Revision.statement_id == statement.id)
            .options(joinedload(Revision.author), joinedload(Revision.organisation))
            .order_by(Revision.number.desc())
        )
    )


def participants(statement: Statement) -> list[Participant]:
    """Lead first, then co-authors and reviewers, each by name."""
    order = sa.case({ParticipantRole.LEAD: 0, ParticipantRole.CO_AUTHOR: 1}, value=Participant.role, else_=2)
    return list(
        db.session.scalars(
            sa.select(Participant)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .where(Participant.statement_id == statement.id)
            .options(joinedload(Participant.organisation))
            .order_by(order, sa.func.lower(Organisation.name))
        )
    )


def participant_for(statement: Statement, organisation_id: int) -> Participant | None:
    """The organisation's part in the statement (in whatever state), or None if it never took part."""
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.statement_id == statement.id, Participant.organisation_id == organisation_id
        )
    )


def author_organisations(statement: Statement) -> list[Organisation]:
    """The lead and every active co-author, lead first, then by name: the organisations whose agreement the
    statement needs."""
    return list(db.session.scalars(_authors(Organisation), {"statement_id": statement.id}))


class Author(NamedTuple):
    """An author organisation by id and name: all that a signer is asked about (and cheaper to read than the row)."""

    id: int
    name: str


def author_names(statement: Statement) -> list[Author]:
    """The author organisations (as `author_organisations`), by id and name only: every sign-on asks, so a read that
    brought them along with the statement (`remember_authors`) is not repeated until the session writes."""
    remembered = session_memo(db.session(), _AUTHOR_NAMES).get(statement.id)
    if remembered is not None:
        return list(remembered)
    return [
        Author(*row)
        for row in db.session.execute(_authors(Organisation.id, Organisation.name), {"statement_id": statement.id})
    ]


_AUTHOR_NAMES = "author names"


def remember_authors(statement_id: int, authors: list[Author]) -> None:
    """The statement's authors, read along with it (in `author_order`): `author_names` need not read them again
    before the session next writes."""
    session_memo(db.session(), _AUTHOR_NAMES)[statement_id] = tuple(authors)


def is_author(participant: type[Participant] | Any) -> sa.ColumnElement[bool]:
    """The participant (the class or an alias of it) is an active lead or co-author."""
    return sa.and_(
        participant.status == ParticipantStatus.ACTIVE,
        participant.role.in_((ParticipantRole.LEAD, ParticipantRole.CO_AUTHOR)),
    )


def author_order(participant: type[Participant] | Any, organisation: type[Organisation] | Any) -> list[Any]:
    """Authors in the order they are shown: the lead first, then by name."""
    return [sa.case({ParticipantRole.LEAD: 0}, value=participant.role, else_=1), sa.func.lower(organisation.name)]


@functools.cache
def _authors(*columns: Any) -> sa.Select[Any]:
    """Built once (with the statement's id a parameter): building it costs as much as running it."""
    return (
        sa.select(*columns)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.statement_id == sa.bindparam("statement_id"), is_author(Participant))
        .order_by(*author_order(Participant, Organisation))
    )


def approvals_for(revision: Revision) -> list[Approval]:
    """The decisions recorded on a revision put for agreement, with who decided for which organisation."""
    return list(
        db.session.scalars(
            sa.select(Approval)
            .where(Approval.revision_id == revision.id)
            .options(joinedload(Approval.organisation), joinedload(Approval.decided_by))
        )
    )


def people_of(organisations: list[Organisation], roles: frozenset[Role]) -> list[User]:
    """The people with one of `roles` in any of `organisations`, each once."""
    if not organisations:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id.in_([o.id for o in organisations]), Membership.role.in_(roles))
            .distinct()
            .order_by(User.id)
        )
    )


def statements_of(user: User) -> list[Statement]:
    """Statements any organisation of `user` takes part in or is invited to, most recently changed first."""
    return list(
        db.session.scalars(
            sa.select(Statement)
            .join(Participant, Participant.statement_id == Statement.id)
            .join(Membership, Membership.organisation_id == Participant.organisation_id)
            .where(
                Membership.user_id == user.id,
                Participant.status.in_([ParticipantStatus.ACTIVE, ParticipantStatus.INVITED]),
            )
            .options(joinedload(Statement.lead_organisation), joinedload(Statement.current_revision))
            .distinct()
            .order_by(Statement.updated_at.desc())
        )
    )


def published(stage: Stage, topic: Topic | None = None) -> list[Statement]:
    """Statements at `stage` (open or closed), most recently opened first."""
    query = (
        sa.select(Statement)
        .where(Statement.stage == stage)
        .options(
            joinedload(Statement.lead_organisation),
            joinedload(Statement.agreed_revision),
            selectinload(Statement.topics),
        )
        .order_by(Statement.opened_at.desc(), Statement.id.desc())
    )
    if topic is not None:
        query = query.where(
            Statement.id.in_(sa.select(StatementTopic.statement_id).where(StatementTopic.topic == topic))
        )
    return list(db.session.scalars(query))


def newest_published(limit: int = 50) -> list[Statement]:
    """The most recently opened public statements (open or closed), newest first, for the site's Atom feed."""
    return list(
        db.session.scalars(
            sa.select(Statement)
            .where(Statement.stage.in_([Stage.OPEN, Stage.CLOSED]), Statement.opened_at.is_not(None))
            .options(joinedload(Statement.lead_organisation), joinedload(Statement.agreed_revision))
            .order_by(Statement.opened_at.desc(), Statement.id.desc())
            .limit(limit)
        )
    )


def was_agreed(statement: Statement, revision: Revision) -> bool:
    """Whether every author organisation agreed `revision`: the published text, or an earlier agreed one."""
    return (
        db.session.scalar(
            sa.select(Agreement.id).where(Agreement.statement_id == statement.id, Agreement.revision_id == revision.id)
        )
        is not None
    )


def agreeing_organisations(statement: Statement, revision: Revision) -> list[Organisation]:
    """The organisations that agreed `revision`: the authors of that text, lead first. Organisations that
    joined later are not its authors, whatever part they play now."""
    approved = {
        approval.organisation_id: approval.organisation
        for approval in approvals_for(revision)
        if approval.decision == Decision.APPROVED
    }
    lead = approved.pop(statement.lead_organisation_id, None)
    others = sorted(approved.values(), key=lambda organisation: organisation.name.lower())
    return [lead, *others] if lead else others


def yet_to_agree(statement: Statement) -> list[Organisation]:
    """Author organisations that have not agreed the agreed text: co-authors who joined after it was agreed. Until
    they agree it, it is not every co-author's, so it cannot be opened for signatures."""
    if statement.agreed_revision is None:
        return []
    agreed = {organisation.id for organisation in agreeing_organisations(statement, statement.agreed_revision)}
    return [organisation for organisation in author_organisations(statement) if organisation.id not in agreed]


def matching_organisations(statement: Statement, q: str, limit: int = 20) -> list[Organisation]:
    """Organisations with names like `q`, other than those already taking part: people to invite. Likely
    matches of the whole name come first, so a near-duplicate name finds the organisation already here."""
    if not q:
        return []
    taking_part = sa.select(Participant.organisation_id).where(
        Participant.statement_id == statement.id, Participant.status == ParticipantStatus.ACTIVE
    )
    return search(q, limit=limit, exclude=taking_part)
