"""Signing on from a statement's public page, confirming by the emailed link, and withdrawing."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field

from campaigns.accounts.addresses import normalise_email
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.adding import add_while_signing
from campaigns.organisations.matching import likely_matches
from campaigns.organisations.models import REGIONS, Organisation
from campaigns.organisations.permissions import Permission
from campaigns.organisations.services import Profile
from campaigns.pages import render_form
from campaigns.signatures import services
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.blueprint import bp
from campaigns.signatures.forms import KIND_GROUPS, SignForm
from campaigns.signatures.services import SignInToSign, SignOn
from campaigns.statements import queries
from campaigns.statements.models import Statement
from campaigns.throttle import Allowance, Exhausted, spend

NEW = "new"


def published(slug: str) -> Statement:
    statement = queries.statement_by_slug(slug)
    if not statement.is_published:
        raise NotFound("We could not find that statement.")
    return statement


#: What a sign-on costs is the confirmation email it sends, so only sign-ons that send one are counted: a
#: refusal (a mistake in the form, an organisation that has already signed) never uses up these limits.
#: From one connection, for one statement, for visitors without an account (automated sign-ons): enough for
#: an office or a drop-in session to sign several organisations in a few minutes.
FROM_ONE_CONNECTION = Allowance("sign-on-connection", "10 per 10 minutes; 30 per hour")
#: To one email address, whatever the statement and the connection: nobody's inbox is flooded with links.
TO_ONE_ADDRESS = Allowance("sign-on-address", "3 per 10 minutes; 10 per day")


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


def _spend(statement: Statement, email: str | None) -> None:
    """Count a sign-on that will send a confirmation email; Exhausted if it would be one too many."""
    uses = []
    if not current_user.is_authenticated:
        uses.append((FROM_ONE_CONNECTION, f"{get_remote_address()}:{statement.id}"))
    if email:
        uses.append((TO_ONE_ADDRESS, email))
    spend(*uses)


def _too_many(form: SignForm, statement: Statement, refused: Exhausted) -> tuple[str, int, dict[str, str]]:
    """The form again with everything typed, saying how long to wait."""
    field: Field
    if refused.allowance is TO_ONE_ADDRESS:
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


@bp.route("/s/<slug>/sign", methods=["GET", "POST"])
def sign(slug: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | Response:
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
        # Filled in by a bot: look as if it worked (limits included), and do nothing.
        try:
            _spend(statement, None)
        except Exhausted as refused:
            return _too_many(form, statement, refused)
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
        outcome = services.sign(statement, sign_on, signer=signer, private_key=key)
    except SignInToSign as refused:
        db.session.rollback()
        form.organisation_name.errors = [refused.message]
        return _sign_page(form, statement, 403, sign_in_needed=True)
    if outcome.already_signed:
        db.session.commit()  # the note to the organisation's signatory about this attempt
        return render_template("signatures/already_signed.html", statement=statement, message=outcome.message), 409
    try:
        _spend(statement, email)
    except Exhausted as refused:
        db.session.rollback()
        return _too_many(form, statement, refused)
    db.session.commit()
    session["signature_sent_to"] = email
    return redirect(url_for(".sent", slug=slug), 303)


def _visitor_organisation(form: SignForm) -> tuple[Organisation, bool] | Question:
    """The organisation someone without an account signs for: one already here, or one they add now.

    Organisations of the same or a similar name are offered first; choosing "none of these" is recorded as
    saying theirs is a different organisation.
    """
    name = form.organisation_name.data
    matches = likely_matches(name)
    choice = form.organisation_choice.data
    if choice and choice != NEW:
        chosen = next((o for o in matches if str(o.id) == choice), None)
        if chosen is not None:
            return chosen, False
        form.organisation_choice.errors = ["Select your organisation, or ‘None of these’"]
        return Question(400, matches, ask_details=True)
    exact = [o for o in matches if " ".join(o.name.lower().split()) == " ".join(name.lower().split())]
    if not choice and len(exact) == 1:
        return exact[0], False
    if not choice and "organisation_type" not in request.form:
        # First time through: ask which one they mean, or about the organisation we do not know yet.
        return Question(200, matches, ask_details=True)
    if not choice and matches:
        form.organisation_choice.errors = ["Select your organisation, or ‘None of these’"]
        return Question(400, matches, ask_details=True)
    details = form.new_organisation_details()
    if details is None:
        return Question(400, matches, ask_details=True)
    kind, subtype, region = details
    profile = Profile(name=name, kind=kind, subtype=subtype, region=region)
    return add_while_signing(profile, distinct_from=matches if choice == NEW else None)


@bp.get("/s/<slug>/sign/sent")
def sent(slug: str) -> str:
    statement = published(slug)
    return render_template("signatures/sent.html", statement=statement, email=session.get("signature_sent_to"))
