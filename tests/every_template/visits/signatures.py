"""Signing on, confirming by the emailed link, a newer text, withdrawing; and the owners' list, settings and a
very large list prepared by the worker."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.jobs.models import Job, JobStatus
from campaigns.jobs.runner import for_worker
from campaigns.organisations.models import Role
from campaigns.outbox.worker import Worker
from campaigns.signatures.models import SignatureSettings
from tests.every_template.tour import as_each, emailed, emailed_link, new_client, visit
from tests.every_template.world import World
from tests.factories import add_member, make_user
from tests.signatures.builders import signing_organisation
from tests.support.links import path_of

SIGN = "Sign on to this statement"
CANNOT_SIGN = "You cannot sign for an organisation yet"


def the_sign_on_page(w: World) -> None:
    url = f"/s/{w.slug}/sign"
    # Signatories and admins sign for their organisation; anyone else signed in is told how they could.
    as_each(w, url, {"anonymous": 200, "signatory": 200, "lead": 200, "outsider": 200}, SIGN)
    as_each(w, url, {"member": 200, "coauthor": 200, "reviewer": 200, "admin": 200, "newcomer": 200}, CANNOT_SIGN)
    visit(w.client("anonymous"), url, 400, SIGN, method="POST", data={"signer_name": "Pat"})
    for closed in (w.closed, w.embargoed):  # closed, and not launched yet: nothing to sign
        visit(w.client("anonymous"), f"/s/{closed.slug}/sign", 409, shows="not open for signatures")
    key = db.session.get(SignatureSettings, w.embargoed.id).private_key
    visit(w.client("anonymous"), f"/s/{w.embargoed.slug}/sign?key={key}", heading=SIGN)  # the private link
    again = {
        "organisation_name": w.s.wanting[0].organisation.name,
        "signer_name": "Pat Again",
        "signer_role": "Trustee",
        "email": "pat.again@example.org",
        "list_publicly": "y",
    }
    visit(w.client("anonymous"), url, 409, "Your organisation has already signed", method="POST", data=again)
    emailed(w.s.wanting[0].signer_email, "signature_attempt")


def signing_and_confirming(w: World) -> None:
    organisation, signatory = signing_organisation("Calder Valley Trust")
    browser = new_client()
    browser.login(signatory)
    details = {"organisation": str(organisation.id), "signer_name": signatory.name, "signer_role": "Chair"}
    visit(browser, f"/s/{w.slug}/sign", 303, method="POST", data={**details, "list_publicly": "y"})
    visit(browser, f"/s/{w.slug}/sign/sent", heading="Check your email")
    link = emailed_link(signatory.email, "signature_confirm", "/confirm/")
    visit(browser, link, heading="Confirm the signature")
    visit(browser, link, 303, method="POST")
    visit(browser, f"/s/{w.slug}/confirmed", shows="Signature confirmed")
    emailed(signatory.email, "signature_confirmed")
    # Changing who may contact them, from the receipt: the page, a choice saved, and a form altered by hand.
    contacts = emailed_link(signatory.email, "signature_confirmed", "/contacts/")
    visit(browser, contacts, heading="Who may contact you")
    visit(browser, contacts, 303, method="POST", data={"may_contact": [str(w.p.council.id)]})
    visit(browser, contacts, 400, "Who may contact you", method="POST", data={"may_contact": "everyone"})
    visit(browser, link, heading="Your signature is already confirmed")
    visit(browser, f"/s/{w.slug}/withdraw", heading="Withdraw a signature")
    # Someone who signed without an account, for an organisation that has since gained an admin: they are told.
    joined = add_member(w.pending.organisation, make_user(), Role.ADMIN).user
    visit(w.client("anonymous"), w.link(w.pending, "confirm"), 303, method="POST")
    emailed(joined.email, "signature_on_behalf")


def a_newer_text_and_withdrawing(w: World) -> None:
    reconfirm = w.link(w.reconfirming, "reconfirm")
    visit(w.client("anonymous"), reconfirm, heading="Confirm the new text")
    visit(w.client("anonymous"), reconfirm, 303, method="POST")
    visit(w.client("anonymous"), reconfirm, 400, "There is a problem with your request")
    withdraw = w.link(w.s.wanting[1], "withdraw")
    visit(w.client("anonymous"), withdraw, heading="Withdraw a signature")
    visit(w.client("anonymous"), withdraw, 303, method="POST", data={"reason": "Board decision"})
    visit(w.client("anonymous"), f"/s/{w.slug}/withdrawn", shows="withdrawn")
    visit(w.client("anonymous"), withdraw, 400, "There is a problem with your request")
    # Without an account: ask for a link by email. Signed in with nothing signed: nothing to withdraw.
    visit(w.client("anonymous"), f"/s/{w.slug}/withdraw", heading="Withdraw a signature")
    asked = {"email": w.s.wanting[0].signer_email}
    visit(w.client("anonymous"), f"/s/{w.slug}/withdraw", heading="Check your email", method="POST", data=asked)
    emailed(w.s.wanting[0].signer_email, "signature_withdrawal_link")
    as_each(w, f"/s/{w.slug}/withdraw", {"member": 200, "newcomer": 200}, "There is no signature to withdraw")


def the_owners_tools(w: World) -> None:
    title = w.p.statement.current_revision.title
    owners = {"anonymous": 302, "outsider": 404, "member": 403, "reviewer": 403, "coauthor": 200, "lead": 200}
    base = f"/statements/{w.slug}/signatures"
    as_each(w, base, owners, title)
    visit(w.client("lead"), f"{base}?status=hidden&q=Signing", heading=title)
    as_each(w, f"{base}/settings", owners, title)
    as_each(w, f"{base}.csv", {"lead": 200, "member": 403})
    hide = f"{base}/{w.s.wanting[0].id}/hide"
    name = w.s.wanting[0].organisation.name
    as_each(w, hide, owners, f"Hide {name}’s signature")
    visit(w.client("lead"), hide, 400, f"Hide {name}", method="POST", data={"reason": ""})
    visit(w.client("lead"), hide, 303, method="POST", data={"reason": "Not a real organisation"})
    visit(w.client("coauthor"), hide, 409, f"Hide {name}")  # hidden a moment ago by another owner
    emailed(w.s.wanting[0].signer_email, "signature_hidden")


def a_very_large_list_prepared_by_the_worker(w: World) -> None:
    """Above the threshold, the owners' download is a file the worker builds: asked for, in progress, ready."""
    config = current_app.config
    threshold = config["CAMPAIGNS_EXPORT_WORKER_ROWS"]
    config["CAMPAIGNS_EXPORT_WORKER_ROWS"] = 1
    try:
        base = f"/statements/{w.slug}/signatures"
        visit(w.client("lead"), base, heading=w.p.statement.current_revision.title, shows="prepared for you")
        visit(w.client("lead"), f"{base}.csv", 302)
        owners = {"anonymous": 302, "outsider": 404, "member": 403, "reviewer": 403, "lead": 200}
        as_each(w, f"{base}/export", owners, "Download every signature")
        asked = visit(w.client("lead"), f"{base}/export", 302, method="POST")
        job_page = path_of(asked.headers["Location"])
        visit(w.client("lead"), job_page, heading="Preparing your file")
        as_each(w, job_page, {"coauthor": 404, "member": 403, "outsider": 404})  # the lead's alone
        visit(w.client("lead"), f"{base}/export", heading="Download every signature", shows="See the file")
        visit(w.client("lead"), f"{job_page}/file", 410)  # not ready yet
        assert for_worker(Worker(current_app._get_current_object())).run_one()
        visit(w.client("lead"), job_page, heading="Your file is ready")
        emailed(w.p.council_editor.email, "signatures_export_ready")
        assert visit(w.client("lead"), f"{job_page}/file").data.rstrip().endswith(b" rows")
        job = db.session.scalars(sa.select(Job).order_by(Job.id.desc())).first()
        job.status = JobStatus.FAILED
        db.session.commit()
        visit(w.client("lead"), job_page, heading="Your file is not available", shows="could not prepare")
        job.status, job.expires_at = JobStatus.DONE, utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert for_worker(Worker(current_app._get_current_object())).sweep() == 1
        visit(w.client("lead"), job_page, heading="Your file is not available", shows="was deleted")
        visit(w.client("lead"), f"{job_page}/file", 410)
    finally:
        config["CAMPAIGNS_EXPORT_WORKER_ROWS"] = threshold


VISITS = [
    the_sign_on_page,
    signing_and_confirming,
    a_newer_text_and_withdrawing,
    the_owners_tools,
    a_very_large_list_prepared_by_the_worker,
]
