"""Pages for drafting: start a statement, its workspace, edit (with merging), history, compare, restore."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.audit import queries as audit_queries
from campaigns.errors import PermissionDenied
from campaigns.extensions import db
from campaigns.forms import choices
from campaigns.http import id_arg, parse_id
from campaigns.organisations.acting import acting_for, my_organisations_where
from campaigns.organisations.permissions import Permission
from campaigns.pages import render_form
from campaigns.statements import queries, services
from campaigns.statements.blueprint import bp, visible_statement
from campaigns.statements.diffs import list_diff, word_diff
from campaigns.statements.forms import NewStatementForm, StatementForm
from campaigns.statements.markdown import render_markdown, render_paragraphs
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action


@bp.get("/statements/mine")
@login_required
def mine() -> str:
    return render_template("statements/mine.html", statements=queries.statements_of(current_user))


@bp.route("/statements/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response | tuple[str, int]:
    leads = my_organisations_where(Permission.EDIT_STATEMENTS)
    if not leads:
        raise PermissionDenied(
            "Only editors and admins of an organisation can start a statement. Ask your organisation’s admin."
        )
    form = NewStatementForm()
    form.organisation.choices = choices((o.id, o.name) for o in leads)
    if request.method == "GET":
        current = acting_for()
        form.organisation.data = current.id if current in leads else leads[0].id
    if not form.validate_on_submit():
        return render_form("statements/new.html", form)
    organisation = next(o for o in leads if o.id == form.organisation.data)
    statement = services.start(form.to_draft(), actor=current_user, organisation=organisation)
    db.session.commit()
    flash("Your statement has been started. Invite co-authors when you are ready.", "success")
    return redirect(url_for("statements.workspace", slug=statement.slug))


@bp.get("/statements/<slug>")
@login_required
def workspace(slug: str) -> str:
    statement = visible_statement(slug)
    revision = statement.latest_revision
    return render_template(
        "statements/workspace.html",
        statement=statement,
        revision=revision,
        paragraphs=render_paragraphs(revision.body),
        participants=queries.participants(statement),
        approvals=queries.approvals_for(statement.proposed_revision) if statement.proposed_revision else [],
        authors=queries.author_organisations(statement),
        yet_to_agree=queries.yet_to_agree(statement),
    )


def _edit_page(
    statement: Statement, form: StatementForm, status: int | None = None, **context: object
) -> tuple[str, int]:
    return render_form("statements/edit.html", form, status, statement=statement, **context)


@bp.route("/statements/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(
        slug, Action.EDIT, refusal="Only editors of the lead and co-author organisations can edit this statement."
    )
    form = StatementForm()
    current = statement.latest_revision
    if request.method == "GET":
        form.fill(services.text_of(current), current.topic_values, current.id)
    if not form.validate_on_submit():
        return _edit_page(statement, form)
    based_on = queries.revision_by_id(statement, parse_id(form.based_on.data))
    if based_on is None:
        # Without the revision the edit began from, we cannot tell what else changed since: refuse, keep the text.
        form.body.errors.append("We could not tell which version you were editing. Check the text, then save again.")
        form.based_on.data = str(current.id)
        return _edit_page(statement, form, 400)
    try:
        revision, merged = services.save(
            statement, form.to_draft(), based_on=based_on, actor=current_user, acting_for=acting_for()
        )
    except services.EditConflict as conflict:
        db.session.rollback()
        # The form keeps everything they typed; it now counts as based on the latest text, so saving
        # again (after resolving) is a deliberate choice to replace the parts shown below.
        form.based_on.data = str(conflict.theirs.id)
        form.fill_text(conflict.result.text)
        return _edit_page(statement, form, 409, conflict=conflict, theirs=conflict.theirs)
    except services.NothingToSave as nothing:
        db.session.rollback()
        flash(nothing.message, "info")
        return redirect(url_for("statements.workspace", slug=statement.slug))
    db.session.commit()
    if merged:
        flash(
            f"Saved as revision {revision.number}. Someone else had saved changes to other parts while you were "
            "editing: both sets of changes are kept.",
            "success",
        )
    else:
        flash(f"Saved as revision {revision.number}.", "success")
    return redirect(url_for("statements.workspace", slug=statement.slug))


@bp.get("/statements/<slug>/history")
@login_required
def history(slug: str) -> str:
    statement = visible_statement(slug)
    return render_template("statements/history.html", statement=statement, revisions=queries.revisions(statement))


@bp.get("/statements/<slug>/compare")
@login_required
def compare(slug: str) -> str:
    statement = visible_statement(slug)
    current = statement.latest_revision.number
    older = queries.revision_number(statement, id_arg("from") or max(current - 1, 1))
    newer = queries.revision_number(statement, id_arg("to") or current)
    return render_template(
        "statements/compare.html",
        statement=statement,
        older=older,
        newer=newer,
        title=word_diff(older.title, newer.title),
        summary=word_diff(older.summary, newer.summary),
        body=word_diff(older.body, newer.body),
        asks=list_diff(older.asks, newer.asks),
        revisions=queries.revisions(statement),
    )


@bp.post("/statements/<slug>/revisions/<id:number>/restore")
@login_required
def restore(slug: str, number: int) -> Response:
    statement = visible_statement(slug)
    revision = queries.revision_number(statement, number)
    restored = services.restore(statement, revision, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash(f"Revision {number} has been restored as revision {restored.number}.", "success")
    return redirect(url_for("statements.workspace", slug=statement.slug))


@bp.get("/statements/<slug>/activity")
@login_required
def activity(slug: str) -> str:
    statement = visible_statement(slug)
    events, next_before = audit_queries.page(id_arg("before"), about=("statements", statement.id))
    return render_template("statements/activity.html", statement=statement, events=events, next_before=next_before)


@bp.get("/statements/<slug>/revisions/<id:number>")
@login_required
def revision(slug: str, number: int) -> str:
    statement = visible_statement(slug)
    revision = queries.revision_number(statement, number)
    return render_template(
        "statements/revision.html",
        statement=statement,
        revision=revision,
        body=render_markdown(revision.body),
    )
