"""Signing on through the site: signed in or not, confirming from the email delivered by SMTP, withdrawing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures.counting import totals
from campaigns.signatures.models import Signature, SignatureStatus
from tests.factories import make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, signing_organisation
from tests.statements.builders import partnership
from tests.support.links import path_of

VISITOR = {
    "signer_name": "Pat Visitor",
    "signer_role": "Chair of Trustees",
    "email": "pat@hillside.example.org",
    "organisation_name": "Hillside Tenants Group",
    "comment": "Our tenants feel this every day.",
    "list_publicly": "y",
}


def signatures() -> list[Signature]:
    return list(db.session.scalars(sa.select(Signature).order_by(Signature.id)))


def test_the_public_page_offers_to_sign_an_open_statement(client):
    p = open_statement()
    page = client.get(f"/s/{p.statement.slug}")
    assert "Sign on for your organisation" in page.text
    assert "0 organisations have signed" in page.text
    form = client.get(f"/s/{p.statement.slug}/sign")
    assert form.status_code == 200
    assert "List the organisation publicly as a signatory" in form.text


@pytest.mark.parametrize(
    "who", ["charity_editor", "council_member", "reviewer_member", "platform admin", "new account"]
)
def test_someone_signed_in_who_cannot_sign_for_any_organisation_is_told_how_to_get_there(client, who):
    p = open_statement()
    person = {"platform admin": lambda: make_user(platform_admin=True), "new account": make_user}.get(
        who, lambda: getattr(p, who)
    )()
    client.login(person)
    page = client.get(f"/s/{p.statement.slug}/sign")
    assert page.status_code == 200
    assert "You cannot sign for an organisation yet" in page.text
    assert 'href="/organisations/new"' in page.text


def test_a_signatory_signs_confirms_from_the_email_and_is_counted(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation()
    deliver()
    client.login(signatory)
    form = client.get(f"/s/{p.statement.slug}/sign")
    assert signatory.name in form.text and organisation.name in form.text
    response = client.post(
        f"/s/{p.statement.slug}/sign",
        data={"organisation": str(organisation.id), "signer_name": signatory.name, "signer_role": "Treasurer"},
    )
    assert response.status_code == 303
    assert signatory.email in client.get(response.headers["Location"]).text
    (email,) = deliver()
    assert email.recipients == [signatory.email]
    link = email.link("/confirm/")
    page = client.get(path_of(link))
    assert page.status_code == 200 and "Confirm the signature" in page.text
    assert signatures()[0].status == SignatureStatus.PENDING  # following the link alone changes nothing
    done = client.post(path_of(link))
    assert done.status_code == 303
    assert "Signature confirmed" in client.get(done.headers["Location"]).text
    assert totals(p.statement.id).by_kind[OrganisationKind.VCS] == 1
    assert "1 organisation has signed: 1 VCS organisation" in client.get(f"/s/{p.statement.slug}").text
    (receipt,) = deliver()
    assert "withdraw" in receipt.text
    used = client.post(path_of(link))
    assert used.status_code == 200 and "Your signature is already confirmed" in used.text


def test_the_consents_are_stored_as_worded_with_the_signature(client):
    p = open_statement()
    organisation, signatory = signing_organisation()
    client.login(signatory)
    client.post(
        f"/s/{p.statement.slug}/sign",
        data={"organisation": str(organisation.id), "signer_name": "S", "signer_role": "Chair", "wants_updates": "y"},
    )
    (signature,) = signatures()
    assert signature.list_publicly is False and signature.wants_updates is True
    assert "Not ticked: List the organisation publicly" in signature.consent_text
    assert "Ticked: Email me updates about this statement" in signature.consent_text
    assert signature.consented_at is not None


def test_a_visitor_adds_their_organisation_and_signs_in_two_steps(client, deliver):
    p = open_statement()
    deliver()
    first = client.post(f"/s/{p.statement.slug}/sign", data=VISITOR)
    assert first.status_code == 200
    assert "is new to Common Ground" in first.text
    assert "Pat Visitor" in first.text  # nothing typed is lost
    # The same address, new questions: the title and an alert at the top say so, for a screen reader above all.
    title = "<title>One more step, about your organisation: Sign on to this statement – Common Ground</title>"
    assert title in first.text
    assert 'role="alert"' in first.text and 'href="#organisation_type"' in first.text
    second = client.post(
        f"/s/{p.statement.slug}/sign",
        data={**VISITOR, "organisation_type": "vcs:community_group", "region": "london"},
    )
    assert second.status_code == 303
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Hillside Tenants Group"))
    assert organisation is not None and not organisation.is_verified
    (signature,) = signatures()
    assert signature.organisation_added_here and signature.signer_email == "pat@hillside.example.org"
    (email,) = deliver()
    client.post(path_of(email.link("/confirm/")))
    listed = client.get(f"/s/{p.statement.slug}")
    assert "1 organisation has signed" in listed.text


def test_a_visitor_picks_their_organisation_among_similar_names(client):
    p = open_statement()
    wanted = make_organisation("Hillside Tenants Group North")
    make_organisation("Hillside Tenants Group South")
    db.session.commit()
    first = client.post(f"/s/{p.statement.slug}/sign", data=VISITOR)
    assert "Is it one of these?" in first.text
    assert "Hillside Tenants Group North" in first.text and "Hillside Tenants Group South" in first.text
    second = client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "organisation_choice": str(wanted.id)})
    assert second.status_code == 303
    assert signatures()[0].organisation_id == wanted.id


def test_a_visitor_cannot_sign_for_an_organisation_whose_people_are_here(client):
    p = open_statement()
    signing_organisation("Hillside Tenants Group")
    response = client.post(f"/s/{p.statement.slug}/sign", data=VISITOR)
    assert response.status_code == 403
    assert "Sign in as one of its signatories" in response.text
    assert "Pat Visitor" in response.text
    assert signatures() == []


def test_a_second_signature_for_the_same_organisation_is_refused_kindly(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation()
    confirmed(p.statement, organisation, signatory)
    deliver()
    client.login(signatory)
    response = client.post(
        f"/s/{p.statement.slug}/sign",
        data={"organisation": str(organisation.id), "signer_name": "Again", "signer_role": "Chair"},
    )
    assert response.status_code == 409
    assert "has already signed" in response.text
    assert len(signatures()) == 1
    (note,) = deliver()
    assert note.recipients == [signatory.email] and "tried to sign" in note.subject


def test_disposable_addresses_are_refused_with_a_clear_message(client):
    p = open_statement()
    response = client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "email": "someone@mailinator.com"})
    assert response.status_code == 400
    assert "disposable email services cannot be used" in response.text
    assert signatures() == []


def test_the_honeypot_looks_like_success_and_saves_nothing(client, deliver):
    p = open_statement()
    deliver()
    response = client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "leave_empty": "http://spam.example"})
    assert response.status_code == 303
    assert signatures() == []
    assert deliver() == []


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client):
    p = open_statement()
    response = client.post(
        f"/s/{p.statement.slug}/sign", data={**VISITOR, "email": "not-an-address", "comment": "x" * 501}
    )
    assert response.status_code == 400
    assert "Comment must be 500 characters or fewer" in response.text
    assert "Enter an email address in the correct format" in response.text
    assert "Hillside Tenants Group" in response.text
    assert signatures() == []


def test_unknown_and_unpublished_statements_cannot_be_signed(client):
    p = partnership()
    assert client.get("/s/no-such-statement/sign").status_code == 404
    assert client.get(f"/s/{p.statement.slug}/sign").status_code == 404
    assert client.post(f"/s/{p.statement.slug}/sign", data=VISITOR).status_code == 404


def test_someone_signed_in_withdraws_their_organisations_signature(client):
    p = open_statement()
    organisation, signatory = signing_organisation()
    confirmed(p.statement, organisation, signatory)
    client.login(signatory)
    page = client.get(f"/s/{p.statement.slug}/withdraw")
    assert organisation.name in page.text
    response = client.post(
        f"/s/{p.statement.slug}/withdraw", data={"organisation": str(signatures()[0].id), "reason": "Trustees"}
    )
    assert response.status_code == 303
    assert signatures()[0].status == SignatureStatus.WITHDRAWN
    assert "0 organisations have signed" in client.get(f"/s/{p.statement.slug}").text


def test_a_visitor_asks_for_a_withdrawal_link_and_uses_it(client, deliver):
    p = open_statement()
    deliver()
    client.post(f"/s/{p.statement.slug}/sign", data=VISITOR)
    client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "organisation_type": "vcs:charity", "region": "london"})
    (confirmation,) = deliver()
    client.post(path_of(confirmation.link("/confirm/")))
    deliver()
    asked = client.post(f"/s/{p.statement.slug}/withdraw", data={"email": VISITOR["email"]})
    assert "Check your email" in asked.text
    (email,) = deliver()
    link = email.link("/withdraw/")
    assert client.post(path_of(link), data={"reason": ""}).status_code == 303
    assert signatures()[0].status == SignatureStatus.WITHDRAWN
    # Nobody learns whether an address signed: the answer is the same.
    assert "Check your email" in client.post(f"/s/{p.statement.slug}/withdraw", data={"email": "x@y.org"}).text


def test_before_the_launch_only_the_private_link_takes_signatures(client):
    from datetime import timedelta

    from campaigns.database import utcnow
    from campaigns.signatures import services

    p = open_statement()
    settings = services.saved_settings(p.statement)
    settings.launch_at = utcnow() + timedelta(days=3)
    db.session.commit()
    refused = client.get(f"/s/{p.statement.slug}/sign")
    assert refused.status_code == 409 and "not open for signatures yet" in refused.text
    # A state, not a race: the page does not say someone else made a change.
    assert '<h1 class="govuk-heading-l">This cannot be done now</h1>' in refused.text
    assert "Someone else made a change first" not in refused.text
    assert "Sign on for your organisation" not in client.get(f"/s/{p.statement.slug}").text
    assert client.get(f"/s/{p.statement.slug}/sign?key=wrong").status_code == 409
    form = client.get(f"/s/{p.statement.slug}/sign?key={settings.private_key}")
    assert form.status_code == 200
    assert f'name="key" value="{settings.private_key}"' in form.text
    client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "key": settings.private_key})
    response = client.post(
        f"/s/{p.statement.slug}/sign",
        data={**VISITOR, "key": settings.private_key, "organisation_type": "vcs:charity", "region": "london"},
    )
    assert response.status_code == 303
    (signature,) = signatures()
    assert signature.before_launch
