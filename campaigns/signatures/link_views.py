"""The emailed links: confirm a signature, confirm a newer text, withdraw. Following a link only shows a page
with one button (mail scanners follow links too); pressing the button does it."""

from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from campaigns.accounts.addresses import normalise_email
from campaigns.extensions import db, limiter
from campaigns.forms import ConfirmForm
from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.permissions import Permission
from campaigns.pages import render_form
from campaigns.signatures import queries, services
from campaigns.signatures.blueprint import bp
from campaigns.signatures.contacts import in_a_sentence
from campaigns.signatures.emails import signature_token
from campaigns.signatures.forms import RequestLinkForm, WithdrawForm
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.signatures.services import LinkUsed
from campaigns.statements.diffs import list_diff, word_diff
from campaigns.statements.models import Statement
from campaigns.statements.queries import published_by_slug


def _link_used(statement: Statement, signature: Signature) -> tuple[str, int]:
    """A link followed again: a confirmed signature is simply confirmed, which is no problem at all."""
    status = 200 if signature.status == SignatureStatus.CONFIRMED else 400
    return render_template("signatures/link_used.html", statement=statement, signature=signature), status


@bp.route("/s/<slug>/confirm/<token>", methods=["GET", "POST"])
def confirm(slug: str, token: str) -> str | tuple[str, int] | Response:
    statement = published_by_slug(slug)
    form = ConfirmForm()
    try:
        if form.validate_on_submit():
            signature = services.confirm(token, statement)
            db.session.commit()
            session["confirmed_signature"] = signature.id
            return redirect(url_for(".confirmed", slug=slug), 303)
        signature = services.signature_for_link(token, "confirm", statement, lock=False)
    except LinkUsed as used:
        db.session.rollback()
        return _link_used(statement, used.signature)
    if signature.status != SignatureStatus.PENDING:
        return _link_used(statement, signature)
    return render_template("signatures/confirm.html", statement=statement, signature=signature, form=form)


@bp.get("/s/<slug>/confirmed")
def confirmed(slug: str) -> str | Response:
    """Thanks, for the person who just confirmed (the signature's id is in their session only)."""
    statement = published_by_slug(slug)
    found = queries.confirmed_signature(statement, session.get("confirmed_signature") or 0)
    if found is None:
        return redirect(url_for("statements.public", slug=slug))
    return render_template(
        "signatures/confirmed.html", statement=statement, signature=found, who_may_contact=in_a_sentence(found)
    )


@bp.route("/s/<slug>/reconfirm/<token>", methods=["GET", "POST"])
def reconfirm(slug: str, token: str) -> str | tuple[str, int] | Response:
    statement = published_by_slug(slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        signature = services.reconfirm(token, statement)
        db.session.commit()
        session["confirmed_signature"] = signature.id
        return redirect(url_for(".confirmed", slug=slug), 303)
    signature = services.signature_for_link(token, "reconfirm", statement, lock=False)
    newer = signature.reconfirm_revision
    if signature.status != SignatureStatus.CONFIRMED or newer is None:
        return render_template("signatures/link_used.html", statement=statement, signature=signature), 400
    signed = signature.revision
    return render_template(
        "signatures/reconfirm.html",
        statement=statement,
        signature=signature,
        form=form,
        signed=signed,
        newer=newer,
        diffs=[
            (label, word_diff(getattr(signed, name), getattr(newer, name)))
            for name, label in (("title", "Title"), ("summary", "Summary"), ("body", "Text"))
            if getattr(signed, name) != getattr(newer, name)
        ],
        asks=list_diff(signed.asks, newer.asks) if list(signed.asks) != list(newer.asks) else [],
        withdraw_token=signature_token(signature, "withdraw"),
    )


@bp.route("/s/<slug>/withdraw/<token>", methods=["GET", "POST"])
def withdraw_by_link(slug: str, token: str) -> tuple[str, int] | Response:
    statement = published_by_slug(slug)
    form = WithdrawForm()
    del form.organisation
    if form.validate_on_submit():
        services.withdraw_by_link(token, statement, form.reason.data or "")
        db.session.commit()
        return redirect(url_for(".withdrawn", slug=slug), 303)
    signature = services.signature_for_link(token, "withdraw", statement, lock=False)
    if signature.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        return render_template("signatures/link_used.html", statement=statement, signature=signature), 400
    return render_form("signatures/withdraw.html", form, statement=statement, signatures=[signature])


@bp.route("/s/<slug>/withdraw", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"], exempt_when=lambda: current_user.is_authenticated)
def withdraw(slug: str) -> tuple[str, int] | Response:
    """Signed in: withdraw your organisation's signature. Otherwise: ask for a link by email."""
    statement = published_by_slug(slug)
    if not current_user.is_authenticated:
        request_form = RequestLinkForm()
        if request_form.validate_on_submit():
            services.send_withdrawal_link(statement, normalise_email(request_form.email.data))
            db.session.commit()
            return render_template("signatures/link_requested.html", statement=statement), 200
        return render_form("signatures/request_link.html", request_form, statement=statement)
    signatures = queries.withdrawable(statement, my_organisations_where(Permission.SIGN))
    if not signatures:
        return render_template("signatures/nothing_to_withdraw.html", statement=statement), 200
    form = WithdrawForm()
    form.organisation.choices = [(str(s.id), s.organisation.name) for s in signatures]
    if len(signatures) == 1 and not form.is_submitted():
        form.organisation.data = str(signatures[0].id)
    if not form.validate_on_submit():
        return render_form("signatures/withdraw.html", form, statement=statement, signatures=signatures)
    chosen = next((s for s in signatures if str(s.id) == form.organisation.data), None)
    if chosen is None:
        form.organisation.errors = ["Select the organisation whose signature you are withdrawing"]
        return render_form("signatures/withdraw.html", form, 400, statement=statement, signatures=signatures)
    services.withdraw(chosen, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    return redirect(url_for(".withdrawn", slug=slug), 303)


@bp.get("/s/<slug>/withdrawn")
def withdrawn(slug: str) -> str:
    return render_template("signatures/withdrawn.html", statement=published_by_slug(slug))
