"""Sharing only as agreed: a signer chooses, author organisation by author organisation, who may contact them; each
author organisation's list and CSV show an email address only where its signer said yes, from the moment they say it.
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.merging import merge
from campaigns.signatures import services
from campaigns.signatures.contacts import CONSENT_VERSION
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureContact
from tests.factories import make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement
from tests.signatures.test_exports import rows_of
from tests.support.links import path_of

VISITOR = {
    "signer_name": "Pat Visitor",
    "signer_role": "Chair of Trustees",
    "email": "pat@hillside.example.org",
    "organisation_name": "Hillside Tenants Group",
    "list_publicly": "y",
    "organisation_type": "vcs:charity",
    "region": "north_east",
}


def owners_csv(client, p, editor) -> dict[str, dict[str, str]]:
    client.login(editor)
    response = client.get(f"/statements/{p.statement.slug}/signatures.csv")
    client.logout()
    assert response.status_code == 200
    return {row["Organisation"]: row for row in rows_of(response.data)}


def test_the_sign_on_page_asks_about_each_author_organisation_with_its_own_unticked_box(client):
    p = open_statement()
    page = client.get(f"/s/{p.statement.slug}/sign").text
    assert "Which of the statement’s authors may contact you?" in page
    for author in (p.council, p.charity):
        box = f'name="may_contact" type="checkbox" value="{author.id}"'
        assert box in page, author.name
        assert f"{author.name} may contact me by email" in page
    assert f'value="{p.reviewer.id}"' not in page  # a reviewer is not an author: nobody is asked about it
    assert 'name="may_contact" type="checkbox" value="' + str(p.council.id) + '" checked' not in page


def test_the_choices_their_wording_version_and_time_are_kept_with_the_signature(client):
    p = open_statement()
    response = client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "may_contact": [str(p.charity.id)]})
    assert response.status_code == 303
    signature = db.session.scalar(sa.select(Signature))
    assert signature.consent_version == CONSENT_VERSION == "2"
    assert f"Ticked: {p.charity.name} may contact me by email" in signature.consent_text
    assert f"Not ticked: {p.council.name} may contact me by email" in signature.consent_text
    (contact,) = db.session.scalars(sa.select(SignatureContact)).all()
    assert (contact.signature_id, contact.organisation_id) == (signature.id, p.charity.id)
    assert contact.consent_version == "2" and contact.granted_at == signature.consented_at
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signature.signed"))
    assert event.detail["may_contact"] == [p.charity.name] and event.detail["consent_version"] == "2"


def test_an_organisation_put_into_the_form_by_hand_that_is_not_an_author_is_not_given_anything(client):
    p = open_statement()
    outsider = make_organisation("Data Brokers Ltd")
    data = {**VISITOR, "may_contact": [str(p.reviewer.id), str(outsider.id)]}
    assert client.post(f"/s/{p.statement.slug}/sign", data=data).status_code == 303
    assert db.session.scalars(sa.select(SignatureContact)).all() == []
    refused = client.post(f"/s/{p.statement.slug}/sign", data={**VISITOR, "may_contact": "everyone"})
    assert refused.status_code == 400


def test_each_author_organisations_csv_and_list_show_only_the_addresses_shared_with_it(client):
    p = open_statement()
    both = make_organisation("Both Trust")
    council_only = make_organisation("Council Only Trust")
    charity_only = make_organisation("Charity Only Trust")
    nobody = make_organisation("Private Trust")
    confirmed(p.statement, both, signer_email="both@example.org", may_contact=frozenset({p.council.id, p.charity.id}))
    confirmed(p.statement, council_only, signer_email="council-only@example.org", may_contact=frozenset({p.council.id}))
    confirmed(p.statement, charity_only, signer_email="charity-only@example.org", may_contact=frozenset({p.charity.id}))
    confirmed(p.statement, nobody, signer_email="nobody@example.org")

    council = owners_csv(client, p, p.council_editor)
    charity = owners_csv(client, p, p.charity_editor)
    assert {name: row["Signer email"] for name, row in council.items()} == {
        "Both Trust": "both@example.org",
        "Council Only Trust": "council-only@example.org",
        "Charity Only Trust": "",
        "Private Trust": "",
    }
    assert {name: row["Signer email"] for name, row in charity.items()} == {
        "Both Trust": "both@example.org",
        "Council Only Trust": "",
        "Charity Only Trust": "charity-only@example.org",
        "Private Trust": "",
    }
    assert council["Council Only Trust"]["May contact your organisation"] == "Yes"
    assert charity["Council Only Trust"]["May contact your organisation"] == "No"
    assert council["Private Trust"]["Consent version"] == "2"

    client.login(p.charity_editor)
    listed = client.get(f"/statements/{p.statement.slug}/signatures").text
    assert "charity-only@example.org" in listed and "both@example.org" in listed
    assert "council-only@example.org" not in listed and "nobody@example.org" not in listed
    assert f"email address not shared with {p.charity.name}" in listed


def test_changing_the_choice_from_the_receipts_link_applies_at_once(client, deliver):
    p = open_statement()
    deliver()
    signature = confirmed(
        p.statement,
        make_organisation("Hillside Trust"),
        signer_email="pat@hillside.example.org",
        may_contact=frozenset({p.charity.id}),
    )
    receipt = next(email for email in deliver() if "Signature confirmed" in email.subject)
    link = path_of(receipt.link("/contacts/"))
    assert f"You chose that {p.charity.name} may contact you. To change that at any time:" in receipt.text
    assert owners_csv(client, p, p.charity_editor)["Hillside Trust"]["Signer email"] == "pat@hillside.example.org"

    page = client.get(link)
    assert page.status_code == 200 and "Who may contact you" in page.text
    assert f'value="{p.charity.id}" checked' in page.text
    saved = client.post(link, data={"may_contact": [str(p.council.id)]})
    assert saved.status_code == 303
    assert "Your choices are saved" in client.get(saved.headers["Location"]).text

    assert owners_csv(client, p, p.charity_editor)["Hillside Trust"]["Signer email"] == ""
    assert owners_csv(client, p, p.council_editor)["Hillside Trust"]["Signer email"] == "pat@hillside.example.org"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signature.contacts_changed"))
    assert event.detail["may_contact"] == [p.council.name]

    # Withdrawing every choice: nobody sees the address, and the link still works to change it again.
    assert client.post(link, data={}).status_code == 303
    assert owners_csv(client, p, p.council_editor)["Hillside Trust"]["Signer email"] == ""
    assert (
        db.session.scalars(sa.select(SignatureContact).where(SignatureContact.signature_id == signature.id)).all() == []
    )


def test_a_contacts_link_for_another_statement_or_a_withdrawn_signature_changes_nothing(client):
    p, other = open_statement(), open_statement()
    signature = confirmed(p.statement, make_organisation("Hillside Trust"), may_contact=frozenset({p.charity.id}))
    token = signature_token(signature, "contacts")
    refused = client.post(f"/s/{other.statement.slug}/contacts/{token}", data={})
    assert refused.status_code == 400 and "This link is not valid" in refused.text
    services.withdraw_by_link(signature_token(signature, "withdraw"), p.statement, "")
    db.session.commit()
    used = client.post(f"/s/{p.statement.slug}/contacts/{token}", data={})
    assert used.status_code == 400 and "signature has been withdrawn" in used.text
    assert len(db.session.scalars(sa.select(SignatureContact)).all()) == 1


def test_a_signer_who_let_an_author_added_twice_contact_them_is_shared_with_the_one_kept_after_a_merge(client):
    p = open_statement()
    copy = make_organisation("Northshire Foodbank Ltd")  # the co-author, added a second time under another spelling
    confirmed(p.statement, make_organisation("Both Trust"), signer_email="both@example.org", may_contact=frozenset())
    signature = confirmed(
        p.statement,
        make_organisation("Hillside Trust"),
        signer_email="pat@hillside.example.org",
        may_contact=frozenset({p.charity.id}),
    )
    # The signer chose the charity; its copy had been chosen by nobody. Merging the charity into its copy moves it.
    merge(p.charity, copy, actor=make_user(platform_admin=True))
    db.session.commit()
    contacts = db.session.execute(sa.select(SignatureContact.signature_id, SignatureContact.organisation_id)).all()
    assert contacts == [(signature.id, copy.id)]
