"""Pages for comments: comment on the statement or a paragraph, read a thread, reply, resolve and reopen.

The workspace shows the discussion through a template global given in the blueprint module, so that its view need
not know about comments: `statement_discussion(statement)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.errors import DomainError, NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.statements import discussion, queries
from campaigns.statements.blueprint import bp, statement_discussion, visible_statement
from campaigns.statements.discussion_forms import CommentForm, ReplyForm
from campaigns.statements.markdown import render_paragraphs
from campaigns.statements.models import Comment, Revision, Statement
from campaigns.statements.permissions import Action, can


@dataclass(frozen=True)
class Anchor:
    """Where a new comment goes: a revision, and a paragraph of it (from 0) with its text, or the whole statement."""

    revision: Revision
    paragraph: int | None = None
    quoted: str | None = None


def _number(value: str | None) -> int | None:
    """A number from a form or the address; a value that cannot be one is refused."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise DomainError("The address or form was changed in a way we cannot use. Go back and try again.")
    return int(value)


def _anchor(statement: Statement, revision: str | None, paragraph: str | None) -> Anchor:
    number = _number(revision)
    chosen = queries.revision_number(statement, number) if number else statement.current_revision
    assert chosen is not None
    index = _number(paragraph)
    if index is None:
        return Anchor(chosen)
    return Anchor(chosen, index, discussion.paragraph_of(chosen, index))


def _require_comment(statement: Statement) -> None:
    if not can(current_user, statement, Action.COMMENT):
        raise PermissionDenied("Only members of the organisations taking part in this statement can comment on it.")


@bp.route("/statements/<slug>/comments/new", methods=["GET", "POST"])
@login_required
def new_comment(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    _require_comment(statement)
    form = CommentForm()
    if not form.is_submitted():
        form.revision.data = request.args.get("revision") or str(statement.latest_revision.number)
        form.paragraph.data = request.args.get("paragraph", "")
    anchor = _anchor(statement, form.revision.data, form.paragraph.data)
    if not form.validate_on_submit():
        return render_form(
            "statements/comment_new.html",
            form,
            statement=statement,
            anchor=anchor,
            quoted=render_paragraphs(anchor.revision.body)[anchor.paragraph]
            if anchor.quoted and anchor.paragraph is not None
            else None,
        )
    comment = discussion.add_comment(
        statement,
        form.body.data,
        actor=current_user,
        acting_for=acting_for(),
        revision=anchor.revision,
        paragraph=anchor.paragraph,
    )
    db.session.commit()
    flash("Your comment has been added.", "success")
    return redirect(url_for("statements.workspace", slug=slug, _anchor=f"comment-{comment.id}"))


def _thread_page(statement: Statement, comment: Comment, form: ReplyForm) -> tuple[str, int]:
    if comment.parent_id is not None:
        # A reply's page is its comment's page.
        comment = discussion.comment_on(statement, comment.parent_id)
    thread = next((t for t in statement_discussion(statement).comments.threads if t.comment.id == comment.id), None)
    if thread is None:
        raise NotFound("We could not find that comment on this statement.")
    return render_form("statements/comment.html", form, statement=statement, thread=thread)


@bp.get("/statements/<slug>/comments/<id:comment_id>")
@login_required
def comment(slug: str, comment_id: int) -> tuple[str, int]:
    statement = visible_statement(slug)
    return _thread_page(statement, discussion.comment_on(statement, comment_id), ReplyForm())


@bp.post("/statements/<slug>/comments/<id:comment_id>/replies")
@login_required
def reply(slug: str, comment_id: int) -> Response | tuple[str, int]:
    statement = visible_statement(slug)
    parent = discussion.comment_on(statement, comment_id)
    _require_comment(statement)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(statement, parent, form)
    answer = discussion.reply(statement, parent, form.body.data, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("Your reply has been added.", "success")
    return redirect(url_for("statements.workspace", slug=slug, _anchor=f"comment-{answer.id}"))


@bp.post("/statements/<slug>/comments/<id:comment_id>/resolve")
@login_required
def resolve_comment(slug: str, comment_id: int) -> Response:
    statement = visible_statement(slug)
    target = discussion.comment_on(statement, comment_id)
    discussion.resolve(statement, target, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("The comment has been resolved.", "success")
    return redirect(url_for("statements.workspace", slug=slug, _anchor="comments"))


@bp.post("/statements/<slug>/comments/<id:comment_id>/reopen")
@login_required
def reopen_comment(slug: str, comment_id: int) -> Response:
    statement = visible_statement(slug)
    target = discussion.comment_on(statement, comment_id)
    discussion.reopen(statement, target, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("The comment has been reopened.", "success")
    return redirect(url_for("statements.workspace", slug=slug, _anchor=f"comment-{target.id}"))
