"""The statement owners' list of signatures, with contact details and moderation."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.forms import single_line
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.signatures import contacts, export_jobs, owner_list, queries, services
from campaigns.signatures.blueprint import bp
from campaigns.signatures.counting import totals
from campaigns.signatures.forms import HideForm
from campaigns.signatures.models import Signature
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action

SEARCH_MAX = 200


def owned_statement(slug: str) -> Statement:
    """The statement, for its owners (editors of the lead and co-authors); 404 for anyone not taking part."""
    return visible_statement(
        slug,
        Action.EDIT,
        refusal="Only editors of the lead and co-author organisations can see and manage this statement’s signatures.",
    )


@bp.get("/statements/<slug>/signatures")
@login_required
def owners(slug: str) -> str:
    statement = owned_statement(slug)
    status = request.args.get("status", "")
    status = status if status in owner_list.STATUSES else ""
    search = single_line(request.args.get("q", ""))[:SEARCH_MAX]
    found = owner_list.page(
        statement.id,
        status=status or None,
        search=search,
        after=owner_list.Cursor.parse(request.args.get("after")),
    )
    settings = services.settings_for(statement)
    viewer = contacts.viewing_organisation(current_user, statement, acting_for())
    return render_template(
        "signatures/owners_list.html",
        statement=statement,
        page=found,
        viewer=viewer,
        may_contact=queries.may_contact([signature.id for signature in found.signatures], viewer),
        status=status,
        search=search,
        statuses=owner_list.STATUSES,
        status_of=owner_list.status_of,
        counted=totals(statement.id),
        settings=settings,
        launched=services.launched(settings),
        later_page=request.args.get("after") is not None,
        worker_builds=export_jobs.worker_builds(statement),
    )


def _signature_on(statement: Statement, signature_id: int) -> Signature:
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.statement_id != statement.id:
        raise NotFound("We could not find that signature.")
    return signature


@bp.route("/statements/<slug>/signatures/<id:signature_id>/hide", methods=["GET", "POST"])
@login_required
def hide(slug: str, signature_id: int) -> tuple[str, int] | Response:
    """Take a signature off the list and the counts, with a reason the signatory is sent."""
    statement = owned_statement(slug)
    signature = _signature_on(statement, signature_id)
    form = HideForm()
    page: dict[str, Any] = {"statement": statement, "signature": signature, "status_of": owner_list.status_of}
    if owner_list.status_of(signature) in ("withdrawn", "hidden", "expired"):
        # Hidden by another owner a moment ago, or a second press of the button: say so, keep what they typed.
        return render_form("signatures/hide.html", form, 409, refused=services.NotHideable(signature).message, **page)
    if not form.validate_on_submit():
        return render_form("signatures/hide.html", form, **page)
    try:
        services.hide(signature, actor=current_user, reason=form.reason.data, acting_for=acting_for())
    except services.NotHideable as refused:
        db.session.rollback()
        return render_form("signatures/hide.html", form, 409, refused=refused.message, **page)
    db.session.commit()
    flash(
        f"{signature.organisation.name}’s signature has been hidden. We have emailed {signature.signer_name} "
        "your reason.",
        "success",
    )
    return redirect(url_for(".owners", slug=statement.slug), 303)
