"""Signing on from a statement's public page, confirming by the emailed link, and withdrawing."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from campaigns.accounts.addresses import normalise_email
from campaigns.errors import NotFound
from campaigns.extensions import db, limiter
from campaigns.organisations import queries as organisation_queries
from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.models import REGIONS, Organisation
from campaigns.organisations.permissions import Permission
from campaigns.organisations.services import Profile, add_while_signing
from campaigns.pages import render_form
from campaigns.signatures import services
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.blueprint import bp
from campaigns.signatures.forms import KIND_GROUPS, SignForm
from campaigns.signatures.services import AlreadySigned, SignInToSign, SignOn
from campaigns.statements import queries
from campaigns.statements.models import Statement

NEW = "new"


def published(slug: str) -> Statement:
    statement = queries.statement_by_slug(slug)
    if not statement.is_published:
        raise NotFound("We could not find that statement.")
    return statement


def _ip_and_statement() -> str:
    return f"{get_remote_address()}:{(request.view_args or {}).get('slug', '')}"


def _signed_on(response: Response) -> bool:
    """A sign-on counts towards the limit when it was taken, or refused because the organisation has signed."""
    return response.status_code in (303, 409)


@dataclass
class Question:
    """We need to ask which organisation they mean, or about a new one, before signing."""

    status: int
    matches: list[Organisation] = field(default_factory=list)
    ask_details: bool = False


def _sign_page(form: SignForm, statement: Statement, status: int | None = None, **context: object) -> tuple[str, int]:
    return render_form(
        "signatures/sign.html",
        form,
        status,
        statement=statement,
        kind_groups=KIND_GROUPS,
        regions=REGIONS,
        consent_list=services.CONSENT_LIST,
        consent_updates=services.CONSENT_UPDATES,
        **context,
    )


@bp.route("/s/<slug>/sign", methods=["GET", "POST"])
@limiter.limit("1/minute;5/5 minutes", key_func=_ip_and_statement, methods=["POST"], deduct_when=_signed_on)
def sign(slug: str) -> tuple[str, int] | Response:
    statement = published(slug)
    key = request.values.get("key") or None
    services.require_open_for_signing(statement, key)
    form = SignForm()
    form.key.data = key
    organisations: list[Organisation] = []
    if current_user.is_authenticated:
        organisations = my_organisations_where(Permission.SIGN)
        if not organisations:
            return render_template("signatures/no_organisation.html", statement=statement), 200
        form.for_member(organisations)
        if not form.is_submitted():
            form.signer_name.data = current_user.name
            if len(organisations) == 1:
                form.organisation.data = str(organisations[0].id)
    else:
        form.for_visitor()
    if not form.validate_on_submit():
        return _sign_page(form, statement)
    if form.leave_empty.data:
        # Filled in by a bot: look as if it worked, and do nothing.
        session["signature_sent_to"] = ""
        return redirect(url_for(".sent", slug=slug), 303)
    if current_user.is_authenticated:
        organisation = next(o for o in organisations if str(o.id) == form.organisation.data)
        email, added = current_user.email, False
    else:
        email = normalise_email(form.email.data)
        problem = disposable_email_problem(email)
        if problem:
            form.email.errors = [problem]
            return _sign_page(form, statement, 400)
        found = _visitor_organisation(form)
        if isinstance(found, Question):
            return _sign_page(form, statement, found.status, matches=found.matches, ask_details=found.ask_details)
        organisation, added = found
    sign_on = SignOn(
        organisation=organisation,
        signer_name=form.signer_name.data,
        signer_role=form.signer_role.data,
        signer_email=email,
        comment=form.comment.data or "",
        list_publicly=form.list_publicly.data,
        wants_updates=form.wants_updates.data,
        organisation_added_here=added,
    )
    signer = current_user if current_user.is_authenticated else None
    try:
        services.sign(statement, sign_on, signer=signer, private_key=key)
    except AlreadySigned as refused:
        db.session.commit()  # the note to the organisation's signatory about this attempt
        return render_template("signatures/already_signed.html", statement=statement, message=refused.message), 409
    except SignInToSign as refused:
        db.session.rollback()
        form.organisation_name.errors = [refused.message]
        return _sign_page(form, statement, 403, sign_in_needed=True)
    db.session.commit()
    session["signature_sent_to"] = email
    return redirect(url_for(".sent", slug=slug), 303)


def _visitor_organisation(form: SignForm) -> tuple[Organisation, bool] | Question:
    """The organisation someone without an account signs for: one already here, or one they add now."""
    name = form.organisation_name.data
    matches = organisation_queries.named_like(name)
    choice = form.organisation_choice.data
    if choice and choice != NEW:
        chosen = next((o for o in matches if str(o.id) == choice), None)
        if chosen is not None:
            return chosen, False
        form.organisation_choice.errors = ["Select your organisation, or ‘None of these’"]
        return Question(400, matches, ask_details=True)
    exact = [o for o in matches if o.name.lower() == name.lower()]
    if not choice and len(exact) == 1:
        return exact[0], False
    if not choice and "organisation_type" not in request.form:
        # First time through: ask which one they mean, or about the organisation we do not know yet.
        return Question(200, matches, ask_details=True)
    details = form.new_organisation_details()
    if details is None:
        return Question(400, matches, ask_details=True)
    kind, subtype, region = details
    return add_while_signing(Profile(name=name, kind=kind, subtype=subtype, region=region)), True


@bp.get("/s/<slug>/sign/sent")
def sent(slug: str) -> str:
    statement = published(slug)
    return render_template("signatures/sent.html", statement=statement, email=session.get("signature_sent_to"))
