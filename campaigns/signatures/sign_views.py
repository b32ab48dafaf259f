"""Signing on from a statement's public page, confirming by the emailed link, and withdrawing."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field

from campaigns.accounts.addresses import normalise_email
from campaigns.extensions import db
from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.models import REGIONS, Organisation
from campaigns.organisations.permissions import Permission
from campaigns.pages import render_form
from campaigns.signatures import contacts, services
from campaigns.signatures.blueprint import bp
from campaigns.signatures.forms import KIND_GROUPS, SignForm
from campaigns.signatures.queries import published_to_sign
from campaigns.signatures.services import (
    DisposableAddress,
    Question,
    SignInToSign,
    SignOn,
    SignOnOutcome,
    TooManySignOns,
    VisitorSignOn,
)
from campaigns.statements.models import Statement
from campaigns.statements.queries import published_by_slug as published


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
        consent_contact=contacts.CONSENT_CONTACT,
        authors=contacts.offered(statement),
        contact_label=contacts.contact_label,
        **context,
    )


def _too_many(form: SignForm, statement: Statement, refused: TooManySignOns) -> tuple[str, int, dict[str, str]]:
    """The form again with everything typed, saying how long to wait."""
    field: Field
    if refused.to_one_address:
        field = form.email or form.organisation
        message = (
            f"We have sent several confirmation emails to this address recently. Wait {refused.wait}, then try again"
        )
    else:
        field = form.organisation_name or form.organisation
        message = (
            f"Too many organisations have signed from your connection in the last few minutes. Wait {refused.wait}, "
            "then send the form again: what you typed is kept"
        )
    field.errors = [*(field.errors or []), message]
    page, status = _sign_page(form, statement, 429)
    return page, status, {"Retry-After": str(refused.retry_after)}


def _sign_form(key: str | None, organisations: list[Organisation]) -> SignForm:
    """The form for a signed-in member (their organisations to choose from) or for a visitor."""
    form = SignForm()
    form.key.data = key
    if not current_user.is_authenticated:
        return form.for_visitor()
    form.for_member(organisations)
    if not form.is_submitted():
        form.signer_name.data = current_user.name
        if len(organisations) == 1:
            form.organisation.data = str(organisations[0].id)
    return form


@bp.route("/s/<slug>/sign", methods=["GET", "POST"])
def sign(slug: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | Response:
    statement = published(slug) if request.method == "GET" else published_to_sign(slug)
    key = request.values.get("key") or None
    organisations = my_organisations_where(Permission.SIGN) if current_user.is_authenticated else []
    form = _sign_form(key, organisations)
    no_organisation = current_user.is_authenticated and not organisations
    if no_organisation or not form.validate_on_submit():
        services.require_open_for_signing(statement, key)  # the form is offered only while signing is open
        if no_organisation:
            return render_template("signatures/no_organisation.html", statement=statement), 200
        return _sign_page(form, statement)
    try:
        outcome = _sign_on(statement, form, organisations, key)
    except TooManySignOns as refused:
        return _too_many(form, statement, refused)
    except DisposableAddress as refused:
        form.email.errors = [refused.message]
        return _sign_page(form, statement, 400)
    except SignInToSign as refused:
        form.organisation_name.errors = [refused.message]
        return _sign_page(form, statement, 403, sign_in_needed=True)
    if isinstance(outcome, Question):
        if outcome.choice_error:
            form.organisation_choice.errors = [outcome.choice_error]
        if outcome.details_missing:
            form.new_organisation_details()  # puts the messages on the fields left empty
        return _sign_page(form, statement, outcome.status, matches=list(outcome.matches), ask_details=True)
    sent_to = outcome.signature.signer_email if outcome is not None else ""  # read before the commit expires it
    db.session.commit()  # the signature and its email, or the note to whoever signed already
    if outcome is not None and outcome.already_signed:
        return render_template("signatures/already_signed.html", statement=statement, message=outcome.message), 409
    session["signature_sent_to"] = sent_to
    return redirect(url_for(".sent", slug=slug), 303)


def _sign_on(
    statement: Statement, form: SignForm, organisations: list[Organisation], key: str | None
) -> SignOnOutcome | Question | None:
    """The one service call for a valid form: a member signs, a visitor signs, or a bot is humoured (None)."""
    if form.leave_empty.data:
        # Filled in by a bot: look as if it worked (limits included), and do nothing.
        connection = None if current_user.is_authenticated else get_remote_address()
        services.pretend_to_sign(statement, connection=connection, private_key=key)
        return None
    if current_user.is_authenticated:
        sign_on = SignOn(
            organisation=next(o for o in organisations if str(o.id) == form.organisation.data),
            signer_name=form.signer_name.data,
            signer_role=form.signer_role.data,
            signer_email=current_user.email,
            comment=form.comment.data or "",
            list_publicly=form.list_publicly.data,
            wants_updates=form.wants_updates.data,
            may_contact=form.ticked(),
        )
        return services.sign_as_member(statement, sign_on, actor=current_user, private_key=key)
    answers = VisitorSignOn(
        organisation_name=form.organisation_name.data,
        signer_name=form.signer_name.data,
        signer_role=form.signer_role.data,
        signer_email=normalise_email(form.email.data),
        comment=form.comment.data or "",
        list_publicly=form.list_publicly.data,
        wants_updates=form.wants_updates.data,
        may_contact=form.ticked(),
        choice=form.organisation_choice.data or None,
        details_asked="organisation_type" in request.form,
        details=form.organisation_details(),
    )
    return services.sign_as_visitor(statement, answers, connection=get_remote_address(), private_key=key)


@bp.get("/s/<slug>/sign/sent")
def sent(slug: str) -> str:
    statement = published(slug)
    return render_template("signatures/sent.html", statement=statement, email=session.get("signature_sent_to"))
