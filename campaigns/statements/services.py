"""Drafting a statement: starting it, saving revisions (merging concurrent edits), restoring old ones.

Every save creates an immutable revision. An edit carries the revision it started from; when someone
else saved in between, the two edits are merged against that common base, and only overlapping
changes come back to the editor as a conflict, with nothing overwritten.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission
from campaigns.organisations.permissions import can as can_for_organisation
from campaigns.slugs import free_slug
from campaigns.statements.locks import lock
from campaigns.statements.merging import MergeResult, StatementText, merge
from campaigns.statements.models import (
    Amendment,
    AmendmentStatus,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    Revision,
    Stage,
    Statement,
    StatementTopic,
    Topic,
)
from campaigns.statements.permissions import Action, acting_organisation
from campaigns.statements.signoff import withdraw_proposal


@dataclasses.dataclass(frozen=True)
class Draft:
    """What an editor submits: the text, the topics and a note on what changed."""

    text: StatementText
    topics: frozenset[Topic]
    change_note: str = ""


class EditConflict(Conflict):
    """Someone else changed the same part of the text since this edit began. Nothing was saved."""

    def __init__(self, result: MergeResult, theirs: Revision) -> None:
        super().__init__("Someone else changed the same part of the statement while you were editing it.")
        self.result = result
        self.theirs = theirs


class NothingToSave(DomainError):
    """The submitted text is what is already saved: for example a form sent twice."""


def text_of(revision: Revision | Amendment) -> StatementText:
    """The text (title, summary, body, asks) of a revision or an amendment, for comparing and merging."""
    return StatementText(revision.title, revision.summary, revision.body, tuple(revision.asks))


def start(draft: Draft, *, actor: User, organisation: Organisation) -> Statement:
    """Start a statement led by `organisation`, with revision 1."""
    if not can_for_organisation(actor, organisation, Permission.EDIT_STATEMENTS):
        raise PermissionDenied(f"Only editors and admins of {organisation.name} can start a statement for it.")
    for _attempt in range(5):
        statement = Statement(
            slug=free_slug(Statement.slug, draft.text.title, max_length=80, fallback="statement"),
            lead_organisation_id=organisation.id,
            created_by_id=actor.id,
        )
        try:
            with constraint_errors({"uq_statements_slug": lambda: Conflict("slug taken")}):
                db.session.add(statement)
            break
        except Conflict:
            continue  # another statement took the same address a moment ago
    else:
        raise Conflict("Could not start the statement just now. Try again.")
    statement.topics = [StatementTopic(topic=topic) for topic in sorted(draft.topics)]
    lead = Participant(statement_id=statement.id, organisation_id=organisation.id, role=ParticipantRole.LEAD)
    lead.status = ParticipantStatus.ACTIVE
    lead.invited_by_id = actor.id
    db.session.add(lead)
    revision = _add_revision(
        statement, draft.text, draft.topics, actor=actor, organisation=organisation, change_note=draft.change_note
    )
    record("statement.created", statement, organisation=organisation, title=revision.title, actor=actor)
    return statement


def _add_revision(
    statement: Statement,
    text: StatementText,
    topics: frozenset[Topic],
    *,
    actor: User,
    organisation: Organisation,
    change_note: str = "",
    based_on: Revision | None = None,
    restored_from: Revision | None = None,
) -> Revision:
    previous = statement.current_revision
    revision = Revision(
        statement_id=statement.id,
        number=(previous.number + 1) if previous else 1,
        title=text.title,
        summary=text.summary,
        body=text.body,
        asks=list(text.asks),
        topics=sorted(topics),
        author_id=actor.id,
        organisation_id=organisation.id,
        change_note=change_note.strip(),
        based_on_id=based_on.id if based_on else (previous.id if previous else None),
        restored_from_id=restored_from.id if restored_from else None,
    )
    with constraint_errors(
        {"uq_revisions_statement_id_number": lambda: Conflict("Someone else saved at the same moment. Try again.")}
    ):
        db.session.add(revision)
    statement.current_revision_id = revision.id
    statement.current_revision = revision
    if statement.proposed_revision_id is not None or statement.agreed_revision_id is not None:
        withdraw_proposal(statement)
    db.session.flush()
    return revision


def save(
    statement: Statement,
    draft: Draft,
    *,
    based_on: Revision,
    actor: User,
    acting_for: Organisation | None = None,
    amendment: Amendment | None = None,
) -> tuple[Revision, bool]:
    """Save an edit made from `based_on` as a new revision; returns it and whether it was merged.

    Raises EditConflict when the edit overlaps a change saved since `based_on`, NothingToSave when
    the result is the text already saved. With `amendment`, the revision is credited to its proposer.
    """
    organisation = acting_organisation(actor, statement, Action.EDIT, acting_for)
    lock(statement)
    current = statement.current_revision
    assert current is not None
    if closed(statement):
        raise DomainError("This statement is closed: its text can no longer change.")
    text, topics = draft.text, draft.topics
    merged = False
    if based_on.id != current.id:
        result = merge(text_of(based_on), text, text_of(current))
        if not result.clean:
            raise EditConflict(result, current)
        text, merged = result.text, True
        topics = merge_topics(set(based_on.topic_values), set(topics), set(current.topic_values))
    if text == text_of(current) and topics == set(current.topic_values):
        raise NothingToSave("There were no changes to save: the statement already says this.")
    if amendment is not None:
        # Accepting an amendment credits its proposer with the revision; the audit log records who accepted it.
        author, credited = amendment.proposer or actor, amendment.organisation or organisation
    else:
        author, credited = actor, organisation
    revision = _add_revision(
        statement,
        text,
        frozenset(topics),
        actor=author,
        organisation=credited,
        change_note=draft.change_note,
        based_on=based_on,
    )
    record(
        "statement.revised",
        statement,
        organisation=organisation,
        revision=revision.number,
        merged=merged,
        **({"amendment": amendment.number} if amendment else {}),
        actor=actor,
    )
    mark_outdated_amendments(statement, revision)
    return revision, merged


def merge_topics(base: set[Topic], mine: set[Topic], theirs: set[Topic]) -> frozenset[Topic]:
    """Topics are a set: keep what either side added, drop what either side removed. Nothing conflicts."""
    return frozenset((theirs - (base - mine)) | (mine - base))


def closed(statement: Statement) -> bool:
    """Whether the statement has been closed to signatures for good."""
    return statement.stage == Stage.CLOSED


def restore(
    statement: Statement, revision: Revision, *, actor: User, acting_for: Organisation | None = None
) -> Revision:
    """Make an earlier revision's text current again, as a new revision."""
    organisation = acting_organisation(actor, statement, Action.EDIT, acting_for)
    lock(statement)
    current = statement.current_revision
    assert current is not None
    if closed(statement):
        raise DomainError("This statement is closed: its text can no longer change.")
    if text_of(revision) == text_of(current) and revision.topics == current.topics:
        raise NothingToSave(f"Revision {revision.number} says the same as the current text.")
    restored = _add_revision(
        statement,
        text_of(revision),
        frozenset(revision.topic_values),
        actor=actor,
        organisation=organisation,
        change_note=f"Restored revision {revision.number}",
        restored_from=revision,
    )
    record(
        "statement.restored",
        statement,
        organisation=organisation,
        revision=restored.number,
        restored=revision.number,
        actor=actor,
    )
    mark_outdated_amendments(statement, restored)
    return restored


def mark_outdated_amendments(statement: Statement, current: Revision) -> None:
    """An open amendment that no longer applies cleanly to the current text is outdated."""
    for amendment in db.session.scalars(
        sa.select(Amendment).where(Amendment.statement_id == statement.id, Amendment.status == AmendmentStatus.OPEN)
    ):
        if not merge(text_of(amendment.base_revision), text_of(amendment), text_of(current)).clean:
            amendment.status = AmendmentStatus.OUTDATED
            record(
                "statement.amendment_outdated",
                statement,
                organisation=statement.lead_organisation,
                amendment=amendment.number,
                actor=None,
            )
