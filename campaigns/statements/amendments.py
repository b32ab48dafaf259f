"""Amendments: a co-author or reviewer proposes a change to the text, with a rationale; an editor of an
author organisation accepts it (it becomes a revision credited to its proposer) or rejects it with a reason.

An amendment holds the whole proposed text and the revision it was written against. Accepting it merges
its changes onto the current text, as a concurrent edit would be merged; where the text has since changed
in the same places, the editor reconciles the two before it is saved. An open amendment that no longer
merges with a new revision becomes outdated (see services.mark_outdated_amendments) and can no longer be
accepted or rejected.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import emails, queries, services
from campaigns.statements.locks import lock
from campaigns.statements.merging import MergeResult, StatementText, merge
from campaigns.statements.models import Amendment, AmendmentStatus, Revision, Statement
from campaigns.statements.permissions import EDITORS, Action, acting_organisation, require_visible
from campaigns.urls import external_url

RATIONALE_MAX = 2_000
REASON_MAX = 2_000

STATUS_LABELS = {
    AmendmentStatus.OPEN: "Open",
    AmendmentStatus.ACCEPTED: "Accepted",
    AmendmentStatus.REJECTED: "Rejected",
    AmendmentStatus.WITHDRAWN: "Withdrawn",
    AmendmentStatus.OUTDATED: "Outdated",
}


class NothingToPropose(DomainError):
    """The proposed text is what the statement already says."""


class NotOpen(Conflict):
    """The amendment has been decided, withdrawn or has become outdated: it cannot be acted on."""


class RepeatedAmendment(Conflict):
    """The same person proposed the same text a moment ago: a form sent twice."""


def _required_text(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise DomainError(f"Enter {what}.")
    if len(value) > limit:
        raise DomainError(f"The {what.removeprefix('a ').removeprefix('the ')} must be {limit:,} characters or fewer.")
    return value


def _link(statement: Statement, amendment: Amendment) -> str:
    return external_url("statements.amendment", slug=statement.slug, number=amendment.number)


def propose(
    statement: Statement,
    text: StatementText,
    rationale: str,
    *,
    based_on: Revision,
    actor: User,
    acting_for: Organisation | None = None,
) -> Amendment:
    """Propose `text`, written from revision `based_on`, as amendment 1, 2, 3... and tell the editors."""
    organisation = acting_organisation(actor, statement, Action.PROPOSE_AMENDMENT, acting_for)
    rationale = _required_text(rationale, "a rationale", RATIONALE_MAX)
    lock(statement)
    if services.closed(statement):
        raise DomainError("This statement is closed: its text can no longer change.")
    if based_on.statement_id != statement.id:
        raise NotFound("We could not find that revision of this statement.")
    current = statement.current_revision
    assert current is not None
    base_text = services.text_of(based_on)
    if text == base_text:
        raise NothingToPropose("Your amendment does not change anything. Change the text, then send it.")
    if based_on.id != current.id:
        result = merge(base_text, text, services.text_of(current))
        if result.clean and result.text == services.text_of(current):
            raise NothingToPropose("The statement already says this: your amendment would not change anything.")
    repeated = next(
        (
            earlier.number
            for earlier in db.session.scalars(
                sa.select(Amendment).where(
                    Amendment.statement_id == statement.id,
                    Amendment.proposer_id == actor.id,
                    Amendment.status == AmendmentStatus.OPEN,
                    Amendment.base_revision_id == based_on.id,
                )
            )
            if services.text_of(earlier) == text
        ),
        None,
    )
    if repeated is not None:
        raise RepeatedAmendment(f"You have already proposed this amendment: it is amendment {repeated}.")
    # The lock serialises proposals; the constraint still guards the numbering against any writer that
    # does not take it, and a clash means trying the next number.
    for _attempt in range(5):
        number = (
            db.session.scalar(sa.select(sa.func.max(Amendment.number)).where(Amendment.statement_id == statement.id))
            or 0
        ) + 1
        amendment = Amendment(
            statement_id=statement.id,
            number=number,
            base_revision_id=based_on.id,
            title=text.title,
            summary=text.summary,
            body=text.body,
            asks=list(text.asks),
            rationale=rationale,
            proposer_id=actor.id,
            organisation_id=organisation.id,
            status=AmendmentStatus.OPEN,
        )
        try:
            with constraint_errors({"uq_amendments_statement_id_number": lambda: Conflict("number taken")}):
                db.session.add(amendment)
            break
        except Conflict:
            continue
    else:
        raise Conflict("Could not save your amendment just now. Try again.")
    record(
        "statement.amendment_proposed", statement, organisation=organisation, amendment=amendment.number, actor=actor
    )
    editors = queries.people_of(queries.author_organisations(statement), EDITORS)
    emails.send_amendment_proposed(
        [person for person in editors if person.id != actor.id],
        statement,
        amendment=amendment,
        proposer=actor,
        organisation=organisation,
        amendment_link=_link(statement, amendment),
    )
    return amendment


def _require_open(amendment: Amendment, doing: str) -> None:
    if amendment.status == AmendmentStatus.OPEN:
        return
    if amendment.status == AmendmentStatus.OUTDATED:
        raise NotOpen(
            f"Amendment {amendment.number} is outdated and cannot be {doing}: the parts of the text it changes "
            "have been changed since. Its proposer can propose it again on the current text."
        )
    raise NotOpen(f"Amendment {amendment.number} has already been {amendment.status.value}.")


def _tell_proposer(statement: Statement, amendment: Amendment, *, actor: User, **context: object) -> None:
    proposer = amendment.proposer
    if proposer is None or proposer.id == actor.id:
        return
    emails.send_amendment_decided(
        [proposer],
        statement,
        amendment=amendment,
        decided_by=actor,
        amendment_link=_link(statement, amendment),
        **context,
    )


def onto_current(statement: Statement, amendment: Amendment) -> MergeResult:
    """The amendment merged onto the statement's current text, as accepting it now would try to save it."""
    current = statement.current_revision
    assert current is not None
    return merge(services.text_of(amendment.base_revision), services.text_of(amendment), services.text_of(current))


def accept(
    statement: Statement,
    amendment: Amendment,
    *,
    actor: User,
    acting_for: Organisation | None = None,
    resolution: StatementText | None = None,
    based_on: Revision | None = None,
) -> Revision | None:
    """Accept an open amendment: its text, merged onto the current text, becomes a revision credited to its proposer.

    With `resolution`, the editor's reconciliation (made from revision `based_on`) is saved instead, still
    credited to the proposer. Raises services.EditConflict, with nothing changed, when the text has since
    changed in the same places; returns None when the current text already says what the amendment proposes.
    """
    organisation = acting_organisation(actor, statement, Action.DECIDE_AMENDMENT, acting_for)
    lock(statement)
    db.session.refresh(amendment)
    if amendment.statement_id != statement.id:
        raise NotFound("We could not find that amendment to this statement.")
    _require_open(amendment, "accepted")
    if resolution is None:
        text, start = services.text_of(amendment), amendment.base_revision
    else:
        if based_on is None or based_on.statement_id != statement.id:
            raise NotFound("We could not find that revision of this statement.")
        text, start = resolution, based_on
    draft = services.Draft(
        text=text,
        topics=frozenset(statement.latest_revision.topic_values),
        change_note=f"Amendment {amendment.number} accepted",
    )
    # Accepted before saving, so that the new revision does not count it among the open amendments it outdates.
    amendment.status = AmendmentStatus.ACCEPTED
    try:
        revision: Revision | None = services.save(
            statement, draft, based_on=start, actor=actor, acting_for=organisation, amendment=amendment
        )[0]
    except services.NothingToSave:
        revision = None
    except services.EditConflict:
        amendment.status = AmendmentStatus.OPEN
        raise
    amendment.decided_by_id = actor.id
    amendment.decided_at = utcnow()
    amendment.revision_id = revision.id if revision else None
    db.session.flush()
    record(
        "statement.amendment_accepted",
        statement,
        organisation=organisation,
        amendment=amendment.number,
        **({"revision": revision.number} if revision else {}),
        actor=actor,
    )
    _tell_proposer(statement, amendment, actor=actor, organisation=organisation, accepted=True, revision=revision)
    return revision


def reject(
    statement: Statement, amendment: Amendment, reason: str, *, actor: User, acting_for: Organisation | None = None
) -> None:
    """Turn down an open amendment, saying why; its proposer is told."""
    organisation = acting_organisation(actor, statement, Action.DECIDE_AMENDMENT, acting_for)
    reason = _required_text(reason, "the reason for rejecting it", REASON_MAX)
    lock(statement)
    db.session.refresh(amendment)
    if amendment.statement_id != statement.id:
        raise NotFound("We could not find that amendment to this statement.")
    _require_open(amendment, "rejected")
    amendment.status = AmendmentStatus.REJECTED
    amendment.decided_by_id = actor.id
    amendment.decided_at = utcnow()
    amendment.decision_reason = reason
    db.session.flush()
    record(
        "statement.amendment_rejected",
        statement,
        organisation=organisation,
        amendment=amendment.number,
        reason=reason,
        actor=actor,
    )
    _tell_proposer(statement, amendment, actor=actor, organisation=organisation, accepted=False, reason=reason)


def withdraw(statement: Statement, amendment: Amendment, *, actor: User) -> None:
    """The proposer takes back their open amendment."""
    require_visible(actor, statement)
    if amendment.statement_id != statement.id:
        raise NotFound("We could not find that amendment to this statement.")
    if amendment.proposer_id != actor.id:
        raise PermissionDenied("Only the person who proposed an amendment can withdraw it.")
    lock(statement)
    db.session.refresh(amendment)
    _require_open(amendment, "withdrawn")
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at = utcnow()
    db.session.flush()
    record(
        "statement.amendment_withdrawn",
        statement,
        organisation=amendment.organisation,
        amendment=amendment.number,
        actor=actor,
    )


# Reading amendments, for the pages.


def amendment_number(statement: Statement, number: int) -> Amendment:
    """Amendment `number` of `statement`; NotFound otherwise."""
    amendment = db.session.scalar(
        sa.select(Amendment)
        .where(Amendment.statement_id == statement.id, Amendment.number == number)
        .options(joinedload(Amendment.proposer), joinedload(Amendment.organisation))
    )
    if amendment is None:
        raise NotFound(f"This statement has no amendment {number}.")
    return amendment


def amendments_of(statement: Statement, *, status: AmendmentStatus | None = None) -> list[Amendment]:
    """The statement's amendments, newest first, optionally only those with `status`."""
    query = (
        sa.select(Amendment)
        .where(Amendment.statement_id == statement.id)
        .options(joinedload(Amendment.proposer), joinedload(Amendment.organisation))
        .order_by(Amendment.number.desc())
    )
    if status is not None:
        query = query.where(Amendment.status == status)
    return list(db.session.scalars(query))


def decided_by(amendment: Amendment) -> User | None:
    return db.session.get(User, amendment.decided_by_id) if amendment.decided_by_id else None
