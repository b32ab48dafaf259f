"""Changing who may contact you, from the link in your receipt: one checkbox per author organisation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from werkzeug.wrappers import Response

from campaigns.extensions import db
from campaigns.pages import render_form
from campaigns.signatures import contacts, queries, services
from campaigns.signatures.blueprint import bp
from campaigns.signatures.forms import ContactsForm
from campaigns.signatures.models import SignatureStatus
from campaigns.signatures.services import LinkUsed
from campaigns.statements.queries import published_by_slug


@bp.route("/s/<slug>/contacts/<token>", methods=["GET", "POST"])
def contacts_by_link(slug: str, token: str) -> str | tuple[str, int] | Response:
    statement = published_by_slug(slug)
    form = ContactsForm()
    try:
        if form.validate_on_submit():
            contacts.change_contacts_by_link(token, statement, form.ticked())
            db.session.commit()
            flash("Your choices are saved. They apply from now on.", "success")
            return redirect(request.path, 303)
        signature = services.signature_for_link(token, "contacts", statement, lock=False)
    except LinkUsed as used:
        db.session.rollback()
        return render_template("signatures/link_used.html", statement=statement, signature=used.signature), 400
    except contacts.ContactDetailsGone:
        db.session.rollback()
        signature = services.signature_for_link(token, "contacts", statement, lock=False)
    if signature.status in (SignatureStatus.HIDDEN, SignatureStatus.EXPIRED) or not signature.signer_email:
        return render_template("signatures/link_used.html", statement=statement, signature=signature), 409
    if not form.is_submitted():
        form.may_contact.data = sorted(queries.contact_choices(signature))
    return render_form(
        "signatures/contacts.html",
        form,
        statement=statement,
        signature=signature,
        authors=contacts.offered(statement),
        consent_contact=contacts.CONSENT_CONTACT,
        contact_label=contacts.contact_label,
    )
