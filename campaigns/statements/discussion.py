"""Comments on a statement: on the text as a whole or on one paragraph of one revision, with one level of replies.

A paragraph comment keeps the paragraph's text as it was (`quoted`). While a paragraph of the current
text still says exactly that, the comment shows on it; once the paragraph has changed, the comment says
it refers to an earlier text and shows what it was about.

Anyone in an organisation taking part may comment, acting for one of those organisations. The comment's
author and editors of the author organisations may resolve a comment, and reopen it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import emails
from campaigns.statements.locks import lock
from campaigns.statements.markdown import split_paragraphs
from campaigns.statements.models import Comment, Revision, Statement
from campaigns.statements.permissions import Action, acting_organisation, can, require_visible
from campaigns.urls import external_url

COMMENT_MAX = 5_000


class RepeatedComment(Conflict):
    """The same person posted the same words in the same place a moment ago: a form sent twice."""


class CommentClosed(Conflict):
    """The comment is not in a state that allows this: already resolved, already open, or resolved for replies."""


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DomainError("Enter your comment.")
    if len(body) > COMMENT_MAX:
        raise DomainError(f"Your comment must be {COMMENT_MAX:,} characters or fewer.")
    return body


def _refuse_repeat(statement: Statement, actor: User, body: str, **place: object) -> None:
    """Refuse a comment identical to the author's latest one in the same place (call with the statement locked)."""
    latest = db.session.scalar(
        sa.select(Comment)
        .where(Comment.statement_id == statement.id, Comment.author_id == actor.id)
        .order_by(Comment.id.desc())
        .limit(1)
    )
    if (
        latest is not None
        and latest.body == body
        and all(getattr(latest, key) == value for key, value in place.items())
    ):
        raise RepeatedComment("You have already posted this comment. It was not posted again.")


def paragraph_of(revision: Revision, index: int) -> str:
    """The text of paragraph `index` (from 0) of `revision`; NotFound when it has no such paragraph."""
    paragraphs = split_paragraphs(revision.body)
    if not 0 <= index < len(paragraphs):
        raise NotFound(f"Revision {revision.number} of this statement has no paragraph {index + 1}.")
    return paragraphs[index]


def add_comment(
    statement: Statement,
    body: str,
    *,
    actor: User,
    acting_for: Organisation | None = None,
    revision: Revision | None = None,
    paragraph: int | None = None,
) -> Comment:
    """Comment on the statement as a whole, or on paragraph `paragraph` (from 0) of `revision` (default: current)."""
    organisation = acting_organisation(actor, statement, Action.COMMENT, acting_for)
    body = _clean_body(body)
    lock(statement)
    revision = revision or statement.current_revision
    assert revision is not None
    if revision.statement_id != statement.id:
        raise NotFound("We could not find that revision of this statement.")
    quoted = paragraph_of(revision, paragraph) if paragraph is not None else None
    _refuse_repeat(statement, actor, body, parent_id=None, paragraph=paragraph, quoted=quoted)
    comment = Comment(
        statement_id=statement.id,
        revision_id=revision.id,
        paragraph=paragraph,
        quoted=quoted,
        author_id=actor.id,
        organisation_id=organisation.id,
        body=body,
    )
    db.session.add(comment)
    db.session.flush()
    place = {"paragraph": paragraph + 1, "revision": revision.number} if paragraph is not None else {}
    record("statement.comment_added", statement, organisation=organisation, comment=comment.id, **place, actor=actor)
    return comment


def reply(
    statement: Statement, parent: Comment, body: str, *, actor: User, acting_for: Organisation | None = None
) -> Comment:
    """Reply to a top-level comment; its author is emailed (unless they are replying to themselves)."""
    organisation = acting_organisation(actor, statement, Action.COMMENT, acting_for)
    body = _clean_body(body)
    lock(statement)
    db.session.refresh(parent)
    if parent.statement_id != statement.id:
        raise NotFound("We could not find that comment on this statement.")
    if parent.parent_id is not None:
        raise DomainError("You can only reply to a comment, not to a reply. Reply to the comment at the top instead.")
    if parent.resolved_at is not None:
        raise CommentClosed("This comment has been resolved. Reopen it to reply.")
    _refuse_repeat(statement, actor, body, parent_id=parent.id)
    answer = Comment(
        statement_id=statement.id,
        revision_id=statement.current_revision_id,
        parent_id=parent.id,
        author_id=actor.id,
        organisation_id=organisation.id,
        body=body,
    )
    db.session.add(answer)
    db.session.flush()
    record("statement.comment_replied", statement, organisation=organisation, comment=answer.id, actor=actor)
    author = parent.author
    # Only someone who may still read the statement hears about it: an organisation may have stepped down.
    if author is not None and author.id != actor.id and can(author, statement, Action.READ):
        emails.send_comment_reply(
            [author],
            statement,
            comment=parent,
            reply=answer,
            replier=actor,
            organisation=organisation,
            comment_link=external_url("statements.comment", slug=statement.slug, comment_id=parent.id),
        )
    return answer


def _resolver_organisation(
    statement: Statement, comment: Comment, actor: User, acting_for: Organisation | None
) -> Organisation:
    """Editors of the author organisations may resolve any comment; anyone who may comment, their own."""
    if can(actor, statement, Action.EDIT):
        return acting_organisation(actor, statement, Action.EDIT, acting_for)
    if comment.author_id == actor.id:
        return acting_organisation(actor, statement, Action.COMMENT, acting_for)
    require_visible(actor, statement)
    raise PermissionDenied(
        "Only the person who wrote a comment, or an editor of the lead or a co-author organisation, can resolve it."
    )


def _top_level(statement: Statement, comment: Comment) -> None:
    if comment.statement_id != statement.id:
        raise NotFound("We could not find that comment on this statement.")
    if comment.parent_id is not None:
        raise DomainError("Replies are resolved with the comment they answer. Resolve that comment instead.")


def resolve(statement: Statement, comment: Comment, *, actor: User, acting_for: Organisation | None = None) -> None:
    """Mark a top-level comment and its replies as dealt with."""
    organisation = _resolver_organisation(statement, comment, actor, acting_for)
    lock(statement)
    db.session.refresh(comment)
    _top_level(statement, comment)
    if comment.resolved_at is not None:
        raise CommentClosed("This comment has already been resolved.")
    comment.resolved_at = utcnow()
    comment.resolved_by_id = actor.id
    db.session.flush()
    record("statement.comment_resolved", statement, organisation=organisation, comment=comment.id, actor=actor)


def reopen(statement: Statement, comment: Comment, *, actor: User, acting_for: Organisation | None = None) -> None:
    """Open a resolved comment again."""
    organisation = _resolver_organisation(statement, comment, actor, acting_for)
    lock(statement)
    db.session.refresh(comment)
    _top_level(statement, comment)
    if comment.resolved_at is None:
        raise CommentClosed("This comment is already open.")
    comment.resolved_at = None
    comment.resolved_by_id = None
    db.session.flush()
    record("statement.comment_reopened", statement, organisation=organisation, comment=comment.id, actor=actor)


# Reading comments, for the pages.


@dataclass
class Thread:
    """A top-level comment with its replies, and where it stands against the current text."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    #: The index of the current paragraph that still says what the comment quoted, if any.
    paragraph: int | None = None
    resolved_by: User | None = None

    @property
    def is_open(self) -> bool:
        return self.comment.resolved_at is None

    @property
    def on_earlier_text(self) -> bool:
        """A paragraph comment whose paragraph no longer reads as it did."""
        return self.comment.quoted is not None and self.paragraph is None


@dataclass
class Discussion:
    """Every comment on a statement, grouped into threads, oldest first."""

    threads: list[Thread]

    @property
    def open_threads(self) -> list[Thread]:
        return [thread for thread in self.threads if thread.is_open]

    @property
    def resolved_threads(self) -> list[Thread]:
        return [thread for thread in self.threads if not thread.is_open]

    def open_on(self, paragraph: int) -> list[Thread]:
        """Open threads about paragraph `paragraph` (from 0) of the current text."""
        return [thread for thread in self.open_threads if thread.paragraph == paragraph]


def _current_place(comment: Comment, paragraphs: list[str]) -> int | None:
    """Where the comment's quoted paragraph is in the current text: its own place if unchanged, else where it moved."""
    if comment.quoted is None or comment.paragraph is None:
        return None
    if comment.paragraph < len(paragraphs) and paragraphs[comment.paragraph] == comment.quoted:
        return comment.paragraph
    return next((index for index, text in enumerate(paragraphs) if text == comment.quoted), None)


def discussion_of(statement: Statement) -> Discussion:
    """Every comment on `statement` with its author, organisation and revision: three queries in all."""
    comments = db.session.scalars(
        sa.select(Comment)
        .where(Comment.statement_id == statement.id)
        .options(joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.revision))
        .order_by(Comment.id)
    ).all()
    resolver_ids = {c.resolved_by_id for c in comments if c.resolved_by_id is not None}
    resolvers = (
        {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(resolver_ids)))}
        if resolver_ids
        else {}
    )
    current = statement.current_revision
    paragraphs = split_paragraphs(current.body) if current else []
    threads: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.id] = Thread(
                comment,
                paragraph=_current_place(comment, paragraphs),
                resolved_by=resolvers.get(comment.resolved_by_id or 0),
            )
        elif comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return Discussion(list(threads.values()))


def comment_on(statement: Statement, comment_id: int) -> Comment:
    """A comment on `statement` by id; NotFound for another statement's comment."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.statement_id != statement.id:
        raise NotFound("We could not find that comment on this statement.")
    return comment
