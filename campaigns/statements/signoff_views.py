"""Pages for agreeing a statement and publishing it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.http import parse_id
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.statements import signoff
from campaigns.statements.blueprint import bp, visible_statement
from campaigns.statements.forms import DecisionForm
from campaigns.statements.markdown import render_markdown
from campaigns.statements.models import Decision
from campaigns.statements.permissions import Action, acting_organisation


@bp.post("/statements/<slug>/propose")
@login_required
def propose(slug: str) -> Response:
    statement = visible_statement(slug)
    signoff.propose(statement, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("Revision sent to every co-author for agreement. We have emailed their signatories.", "success")
    return redirect(url_for("statements.workspace", slug=slug))


@bp.route("/statements/<slug>/decide", methods=["GET", "POST"])
@login_required
def decide(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    organisation = acting_organisation(current_user, statement, Action.APPROVE, acting_for())
    revision = statement.proposed_revision
    form = DecisionForm()
    if revision is None:
        raise Conflict("No revision is waiting for agreement: the text may have been edited since.")
    if not form.is_submitted():
        form.revision.data = str(revision.id)
    context: dict[str, Any] = {
        "statement": statement,
        "revision": revision,
        "organisation": organisation,
        "body": render_markdown(revision.body),
    }
    if not form.validate_on_submit():
        return render_form("statements/decide.html", form, **context)
    decision = Decision(form.decision.data)
    signoff.decide(
        statement,
        decision,
        actor=current_user,
        acting_for=organisation,
        comment=form.comment.data or "",
        revision_id=parse_id(form.revision.data) or 0,
    )
    db.session.commit()
    if decision == Decision.APPROVED:
        message = f"{organisation.name} agrees revision {revision.number}."
        if statement.agreed_revision_id == revision.id:
            message += " Every co-author has now agreed: the statement is agreed."
    else:
        message = f"{organisation.name} has asked for changes. The lead organisation has been told."
    flash(message, "success")
    return redirect(url_for("statements.workspace", slug=slug))


@bp.post("/statements/<slug>/open")
@login_required
def open_for_signatures(slug: str) -> Response:
    statement = visible_statement(slug)
    signoff.open_for_signatures(statement, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("The statement is open for signatures and its public page is live.", "success")
    return redirect(url_for("statements.public", slug=slug))


@bp.route("/statements/<slug>/close", methods=["GET", "POST"])
@login_required
def close(slug: str) -> Response | tuple[str, int]:
    """Closing cannot be undone, so it is asked on a page of its own before it is done."""
    statement = visible_statement(slug)
    form = ConfirmForm()
    if not form.validate_on_submit():
        signoff.may_close(statement, actor=current_user, acting_for=acting_for())  # asks only what it could do
        return render_form("statements/close.html", form, statement=statement)
    signoff.close(statement, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash("The statement is closed to new signatures.", "success")
    return redirect(url_for("statements.workspace", slug=slug))
