"""Agreeing a statement: the lead proposes a revision, each author organisation's signatory approves
that exact revision or asks for changes, and when every author organisation has approved it is agreed.
Then the lead may open it for signatures, and later close it.
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import emails, queries
from campaigns.statements.events import revision_agreed, statement_closed, statement_opened
from campaigns.statements.locks import lock
from campaigns.statements.models import Agreement, Approval, Decision, Stage, Statement, StatementTopic
from campaigns.statements.permissions import EDITORS, SIGNATORIES, Action, acting_organisation

AFTER_AGREEMENT = (Stage.AGREED, Stage.OPEN, Stage.CLOSED)


def propose(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> None:
    """Put the current revision to every author organisation for agreement."""
    lead = acting_organisation(actor, statement, Action.PROPOSE, acting_for)
    lock(statement)
    if statement.stage == Stage.CLOSED:
        raise DomainError("This statement is closed.")
    if statement.proposed_revision_id is not None:
        raise Conflict("A revision is already waiting for agreement.")
    if statement.current_revision_id == statement.agreed_revision_id and not queries.yet_to_agree(statement):
        raise DomainError("The co-authors have already agreed this text. Edit it to propose a new version.")
    statement.proposed_revision_id = statement.current_revision_id
    if statement.stage == Stage.DRAFT:
        statement.stage = Stage.IN_AGREEMENT
    db.session.flush()
    revision = statement.latest_revision  # now also the proposed one
    record("statement.proposed", statement, organisation=lead, revision=revision.number, actor=actor)
    emails.send_agreement_requested(
        queries.people_of(queries.author_organisations(statement), SIGNATORIES),
        statement,
        revision=revision,
        proposer=actor,
        lead=lead,
    )


def decide(
    statement: Statement,
    decision: Decision,
    *,
    actor: User,
    acting_for: Organisation | None = None,
    comment: str = "",
    revision_id: int | None = None,
) -> Approval:
    """Record an author organisation's answer to the proposed revision; changing it later replaces it.

    `revision_id` is the revision the signatory read: if another has been proposed since, the answer
    would be about a text they have not seen, so it is refused.
    """
    organisation = acting_organisation(actor, statement, Action.APPROVE, acting_for)
    lock(statement)
    revision = statement.latest_revision  # now also the proposed one
    if revision is None:
        raise Conflict("No revision is waiting for agreement: the text may have been edited since.")
    if revision_id is not None and revision.id != revision_id:
        raise Conflict("The text was changed while you were reading it. Read the new revision before answering.")
    if decision == Decision.CHANGES_REQUESTED and not comment.strip():
        raise DomainError("Say what needs to change.")
    approval = db.session.scalar(
        sa.select(Approval).where(Approval.revision_id == revision.id, Approval.organisation_id == organisation.id)
    )
    if approval is None:
        approval = Approval(statement_id=statement.id, revision_id=revision.id, organisation_id=organisation.id)
        db.session.add(approval)
    approval.decision = decision
    approval.comment = comment.strip()
    approval.decided_by_id = actor.id
    approval.decided_at = utcnow()
    db.session.flush()
    record(f"statement.{decision.value}", statement, organisation=organisation, revision=revision.number, actor=actor)
    if decision == Decision.CHANGES_REQUESTED:
        emails.send_changes_requested(
            queries.people_of([statement.lead_organisation], EDITORS),
            statement,
            revision=revision,
            organisation=organisation,
            comment=approval.comment,
            decided_by=actor,
        )
    else:
        agree_if_everyone_has(statement, actor=actor)
    return approval


def agree_if_everyone_has(statement: Statement, *, actor: User) -> bool:
    """Agree the proposed revision once every author organisation taking part has approved it."""
    revision = statement.latest_revision  # now also the proposed one
    if revision is None:
        return False
    approved = {a.organisation_id for a in queries.approvals_for(revision) if a.decision == Decision.APPROVED}
    authors = queries.author_organisations(statement)
    if not all(organisation.id in approved for organisation in authors):
        return False
    again = statement.agreed_revision_id == revision.id  # put again to co-authors who joined after it was agreed
    statement.agreed_revision_id = revision.id
    statement.proposed_revision_id = None
    # The statement is listed publicly under the topics its co-authors agreed.
    statement.topics = [StatementTopic(topic=topic) for topic in revision.topic_values]
    if not again:
        db.session.add(Agreement(statement_id=statement.id, revision_id=revision.id))
    statement.agreed_at = utcnow()
    if statement.stage in (Stage.DRAFT, Stage.IN_AGREEMENT):
        statement.stage = Stage.AGREED
    db.session.flush()
    # The statement's own event, for its lead's log: no one person agreed it for the lead (the last approval is
    # logged for the organisation that gave it).
    record(
        "statement.agreed", statement, organisation=statement.lead_organisation, revision=revision.number, actor=None
    )
    emails.send_agreed(queries.people_of(authors, EDITORS | SIGNATORIES), statement, revision=revision, authors=authors)
    revision_agreed.send(statement, revision=revision)
    return True


def clear_approvals_of(statement: Statement, organisation: Organisation) -> None:
    """Remove the organisation's approvals of the proposed text (it has left or lost its say)."""
    if statement.proposed_revision_id is None:
        return
    db.session.execute(
        sa.delete(Approval).where(
            Approval.revision_id == statement.proposed_revision_id, Approval.organisation_id == organisation.id
        )
    )


def withdraw_proposal(statement: Statement) -> None:
    """A new edit starts a new draft: the proposal lapses with its approvals, which stay in the history.

    A statement that was agreed stays agreed, on its agreed revision, until a newer one is agreed.
    """
    statement.proposed_revision_id = None
    if statement.stage == Stage.IN_AGREEMENT:
        statement.stage = Stage.AGREED if statement.agreed_revision_id is not None else Stage.DRAFT


def open_for_signatures(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> None:
    """Open an agreed statement for signatures (the lead organisation only); a closed one stays closed."""
    lead = acting_organisation(actor, statement, Action.PUBLISH, acting_for)
    lock(statement)
    if statement.stage in (Stage.OPEN, Stage.CLOSED):
        raise Conflict("This statement has already been opened for signatures.")
    if statement.agreed_revision_id is None:
        raise DomainError("Only a statement every co-author has agreed can be opened for signatures.")
    latecomers = queries.yet_to_agree(statement)
    if latecomers:
        raise Conflict(
            f"{', '.join(o.name for o in latecomers)} joined as a co-author after the text was agreed, and has not "
            "agreed it. Put the text to the co-authors for agreement again before opening it for signatures."
        )
    statement.stage = Stage.OPEN
    statement.opened_at = utcnow()
    record("statement.opened", statement, organisation=lead, revision=statement.published_revision.number, actor=actor)
    statement_opened.send(statement)


def may_close(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> Organisation:
    """The organisation that would close the statement (its lead), if it is open and `actor` may; refuses otherwise."""
    lead = acting_organisation(actor, statement, Action.PUBLISH, acting_for)
    if statement.stage != Stage.OPEN:
        raise DomainError("Only a statement open for signatures can be closed.")
    return lead


def close(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> None:
    """Close a statement to new signatures for good (the lead organisation only)."""
    lock(statement)
    lead = may_close(statement, actor=actor, acting_for=acting_for)
    statement.stage = Stage.CLOSED
    statement.closed_at = utcnow()
    record("statement.closed", statement, organisation=lead, actor=actor)
    statement_closed.send(statement)
