"""Pages for amendments: propose one, read it with its changes, accept (reconciling a conflict), reject, withdraw."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.errors import NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.statements import amendments, queries, services
from campaigns.statements.blueprint import bp, visible_statement
from campaigns.statements.diffs import list_diff, word_diff
from campaigns.statements.discussion_forms import AmendmentForm, RejectForm, ResolutionForm
from campaigns.statements.merging import MergeResult
from campaigns.statements.models import Amendment, AmendmentStatus, Revision, Statement
from campaigns.statements.permissions import Action, can


def _based_on(statement: Statement, value: str | None) -> Revision:
    """The revision a submitted text was written from (a hidden field, already checked to be digits)."""
    revision = queries.revision_by_id(statement, int(value)) if value else None
    if revision is None:
        raise NotFound("We could not find the revision this text was written from. Reload the page and try again.")
    return revision


@bp.get("/statements/<slug>/amendments")
@login_required
def amendment_list(slug: str) -> str:
    statement = visible_statement(slug)
    return render_template(
        "statements/amendment_list.html", statement=statement, amendments=amendments.amendments_of(statement)
    )


@bp.route("/statements/<slug>/amendments/new", methods=["GET", "POST"])
@login_required
def new_amendment(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    if not can(current_user, statement, Action.PROPOSE_AMENDMENT):
        raise PermissionDenied(
            "Only members of the organisations taking part in this statement can propose amendments."
        )
    form = AmendmentForm()
    current = statement.latest_revision
    if not form.is_submitted():
        form.fill_text(services.text_of(current))
        form.based_on.data = str(current.id)
    if not form.validate_on_submit():
        return render_form("statements/amendment_new.html", form, statement=statement)
    amendment = amendments.propose(
        statement,
        form.to_text(),
        form.rationale.data,
        based_on=_based_on(statement, form.based_on.data),
        actor=current_user,
        acting_for=acting_for(),
    )
    db.session.commit()
    message = f"Amendment {amendment.number} has been sent to the editors of the author organisations."
    if amendment.base_revision_id != statement.current_revision_id:
        message += (
            " The text was changed while you were writing it: your amendment shows against the text you began with."
        )
    flash(message, "success")
    return redirect(url_for("statements.amendment", slug=slug, number=amendment.number))


def _amendment_page(
    statement: Statement, amendment: Amendment, reject_form: RejectForm, status: int = 200
) -> tuple[str, int]:
    base = amendment.base_revision
    return render_template(
        "statements/amendment.html",
        statement=statement,
        amendment=amendment,
        base=base,
        decided_by=amendments.decided_by(amendment),
        title=word_diff(base.title, amendment.title),
        summary=word_diff(base.summary, amendment.summary),
        body=word_diff(base.body, amendment.body),
        asks=list_diff(base.asks, amendment.asks),
        reject_form=reject_form,
    ), status


@bp.get("/statements/<slug>/amendments/<id:number>")
@login_required
def amendment(slug: str, number: int) -> tuple[str, int]:
    statement = visible_statement(slug)
    return _amendment_page(statement, amendments.amendment_number(statement, number), RejectForm(formdata=None))


def _conflict_page(
    statement: Statement,
    amendment: Amendment,
    form: ResolutionForm,
    result: MergeResult,
    theirs: Revision,
    status: int,
    *,
    mine_label: str,
) -> tuple[str, int]:
    context: dict[str, Any] = {
        "statement": statement,
        "amendment": amendment,
        "result": result,
        "theirs": theirs,
        "mine_label": mine_label,
    }
    return render_form("statements/amendment_conflict.html", form, status, **context)


def _require_decider(statement: Statement, doing: str) -> None:
    if not can(current_user, statement, Action.DECIDE_AMENDMENT):
        raise PermissionDenied(f"Only editors of the lead and co-author organisations can {doing} amendments.")


def _accepted(statement: Statement, amendment: Amendment, revision: Revision | None) -> Response:
    db.session.commit()
    if revision is None:
        flash(
            f"Amendment {amendment.number} is accepted. "
            "The statement already said this, so no new revision was needed.",
            "success",
        )
    else:
        flash(f"Amendment {amendment.number} is accepted: it is now revision {revision.number}.", "success")
    return redirect(url_for("statements.amendment", slug=statement.slug, number=amendment.number))


@bp.post("/statements/<slug>/amendments/<id:number>/accept")
@login_required
def accept_amendment(slug: str, number: int) -> Response | tuple[str, int]:
    statement = visible_statement(slug)
    amendment = amendments.amendment_number(statement, number)
    _require_decider(statement, "accept")
    try:
        revision = amendments.accept(statement, amendment, actor=current_user, acting_for=acting_for())
    except services.EditConflict as conflict:
        db.session.rollback()
        # The form holds the merged text with the amendment's version wherever both changed the same part.
        form = ResolutionForm(formdata=None)
        form.fill_text(conflict.result.text)
        form.based_on.data = str(conflict.theirs.id)
        return _conflict_page(
            statement, amendment, form, conflict.result, conflict.theirs, 409, mine_label=f"Amendment {number}"
        )
    return _accepted(statement, amendment, revision)


@bp.route("/statements/<slug>/amendments/<id:number>/resolve", methods=["GET", "POST"])
@login_required
def resolve_amendment(slug: str, number: int) -> str | Response | tuple[str, int]:
    """Reconcile an amendment with changes made since to the same parts, then save it as accepted."""
    statement = visible_statement(slug)
    amendment = amendments.amendment_number(statement, number)
    _require_decider(statement, "accept")
    current = statement.latest_revision
    form = ResolutionForm()
    if not form.validate_on_submit():
        result = amendments.onto_current(statement, amendment)
        if request.method == "GET":
            if amendment.status != AmendmentStatus.OPEN or result.clean:
                flash(f"Amendment {number} has nothing to reconcile with the current text.", "info")
                return redirect(url_for("statements.amendment", slug=slug, number=number))
            form.fill_text(result.text)
            form.based_on.data = str(current.id)
        return _conflict_page(
            statement,
            amendment,
            form,
            result,
            current,
            400 if form.is_submitted() else 200,
            mine_label=f"Amendment {number}",
        )
    try:
        revision = amendments.accept(
            statement,
            amendment,
            actor=current_user,
            acting_for=acting_for(),
            resolution=form.to_text(),
            based_on=_based_on(statement, form.based_on.data),
        )
    except services.EditConflict as conflict:
        db.session.rollback()
        form.fill_text(conflict.result.text)
        form.based_on.data = str(conflict.theirs.id)
        return _conflict_page(
            statement, amendment, form, conflict.result, conflict.theirs, 409, mine_label="Your version"
        )
    return _accepted(statement, amendment, revision)


@bp.post("/statements/<slug>/amendments/<id:number>/reject")
@login_required
def reject_amendment(slug: str, number: int) -> Response | tuple[str, int]:
    statement = visible_statement(slug)
    amendment = amendments.amendment_number(statement, number)
    _require_decider(statement, "reject")
    form = RejectForm()
    if not form.validate_on_submit():
        return _amendment_page(statement, amendment, form, 400)
    amendments.reject(statement, amendment, form.reason.data, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash(f"Amendment {number} has been rejected. We have emailed your reason to its proposer.", "success")
    return redirect(url_for("statements.amendment", slug=slug, number=number))


@bp.post("/statements/<slug>/amendments/<id:number>/withdraw")
@login_required
def withdraw_amendment(slug: str, number: int) -> Response:
    statement = visible_statement(slug)
    amendment = amendments.amendment_number(statement, number)
    amendments.withdraw(statement, amendment, actor=current_user)
    db.session.commit()
    flash(f"You have withdrawn amendment {number}.", "success")
    return redirect(url_for("statements.amendment", slug=slug, number=number))
