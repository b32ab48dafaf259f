"""Approving knowingly: the exact audience in words and numbers and the list on request; no kind or region
silently ignored; the writer told when the update is approved or sent back, and why."""

from __future__ import annotations

import pytest

from campaigns.errors import PermissionDenied
from campaigns.extensions import db
from campaigns.mailings import audience, services
from campaigns.mailings.models import Audience, Mailing, MailingStatus
from campaigns.mailings.services import UpdateDraft, UpdateRefused
from campaigns.organisations.models import OrganisationKind
from tests.mailings.builders import BODY, signatories, signatory, update
from tests.support.wire import check_message


def north_west_councils():
    s = signatories(1)  # a VCS signatory in the North East
    for n in (21, 22):
        signatory(s.p, n, kind=OrganisationKind.COUNCIL, region="north_west", signer_email=f"council{n}@example.org")
    signatory(s.p, 23, kind=OrganisationKind.COUNCIL, region="london", signer_email="london@example.org")
    return s


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "Every signatory who asked for updates: 5 people"),
        (
            {"audience": Audience.FILTERED, "kind": OrganisationKind.COUNCIL, "region": "north_west"},
            "Councils in the North West who asked for updates: 2 people",
        ),
        ({"audience": Audience.FILTERED, "region": "london"}, "Signatories in London who asked for updates: 1 person"),
        (
            {"audience": Audience.FILTERED, "kind": OrganisationKind.COUNCIL},
            "Councils who asked for updates: 3 people",
        ),
        (
            {"audience": Audience.CO_AUTHORS},
            "The people of the co-author organisations (Northshire County Council and Northshire Food Bank): 6 people",
        ),
    ],
)
def test_the_audience_is_stated_in_words_and_numbers(app, fields, words):
    s = north_west_councils()
    signatory(s.p, 24, signer_email="fifth@example.org")
    mailing = update(s.p, approved=False, **fields)
    assert audience.in_words(mailing, len(audience.recipients(mailing))) == words


def test_the_preview_and_the_approval_page_state_the_audience_and_list_it_on_request(app, client, deliver):
    s = north_west_councils()
    mailing = update(
        s.p, approved=False, audience=Audience.FILTERED, kind=OrganisationKind.COUNCIL, region="north_west"
    )
    services.request_approval(mailing, actor=s.p.council_editor)
    db.session.commit()
    slug, words = s.p.statement.slug, "Councils in the North West who asked for updates: 2 people"

    client.login(s.p.council_editor)
    assert words in client.get(f"/statements/{slug}/updates/{mailing.id}").text
    client.logout()
    client.login(s.p.charity_signatory)
    approval_page = client.get(f"/statements/{slug}/updates/{mailing.id}").text
    assert words in approval_page and "Approve the update" in approval_page
    listing = client.get(f"/statements/{slug}/updates/{mailing.id}/recipients").text
    assert words in listing
    assert "Signing Trust 21" in listing and "Signing Trust 22" in listing and "North West" in listing
    assert "Signing Trust 23" not in listing and "Signing Trust 1<" not in listing
    assert "council21@example.org" not in listing, "names and organisations, not addresses"
    [request] = [
        r for r in deliver() if r.subject.startswith("Please approve") and r.recipients == [s.p.charity_signatory.email]
    ]
    assert f"It goes to: {words}." in request.text


def test_a_kind_or_region_with_all_signatories_is_refused_with_a_message(app, client):
    s = signatories(1)
    client.login(s.p.council_editor)
    values = {"subject": "S", "body": BODY, "audience": "signatories", "kind": "council", "region": ""}

    response = client.post(f"/statements/{s.p.statement.slug}/updates/new", data=values)

    assert response.status_code == 400
    assert "You chose a kind of organisation or a region, but not" in response.text
    assert db.session.query(Mailing).count() == 0
    for draft in (
        UpdateDraft("S", BODY, Audience.SIGNATORIES, region="london"),
        UpdateDraft("S", BODY, Audience.CO_AUTHORS, OrganisationKind.VCS),
    ):
        with pytest.raises(UpdateRefused, match="You chose a kind"):
            services.compose(s.p.statement, draft, actor=s.p.council_editor)


def test_the_writer_is_emailed_when_the_update_is_approved(app, client, deliver):
    s = signatories(1)
    mailing = update(s.p, approved=False, subject="We met the minister, ((name))")
    services.request_approval(mailing, actor=s.p.council_editor)
    db.session.commit()
    deliver()
    client.login(s.p.charity_signatory)

    client.post(f"/statements/{s.p.statement.slug}/updates/{mailing.id}/approve")

    [email] = [r for r in deliver() if r.recipients == [s.p.council_editor.email]]
    check_message(email.raw)
    assert email.subject == "Your update has been approved: ‘We met the minister, signatory’"
    assert "Sue Trustee of Northshire Food Bank has approved your update" in email.text
    assert email.link(f"/statements/{s.p.statement.slug}/updates/{mailing.id}")


def test_an_approver_sends_it_back_with_a_reason_the_writer_gets_and_sees(app, client, deliver):
    s = signatories(1)
    mailing = update(s.p, approved=False)
    services.request_approval(mailing, actor=s.p.council_editor)
    db.session.commit()
    deliver()
    slug = s.p.statement.slug
    client.login(s.p.charity_signatory)

    empty = client.post(f"/statements/{slug}/updates/{mailing.id}/send-back", data={"reason": "  "})
    assert empty.status_code == 400 and "Say what should change" in empty.text
    sent_back = client.post(
        f"/statements/{slug}/updates/{mailing.id}/send-back",
        data={"reason": "Please don’t name the minister.\nWait for the reply."},
    )

    assert sent_back.status_code == 303
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DRAFT
    [email] = [r for r in deliver() if r.recipients == [s.p.council_editor.email]]
    check_message(email.raw)
    assert email.subject.startswith("Your update was sent back:")
    assert "Please don’t name the minister.\nWait for the reply." in email.text.replace("\r\n", "\n")
    client.logout()
    client.login(s.p.council_editor)
    page = client.get(f"/statements/{slug}/updates/{mailing.id}").text
    assert "Sent back" in page and "Please don’t name the minister." in page and "Sue Trustee" in page
    assert "Ask for approval" in page


def test_only_an_approver_can_send_an_update_back(app):
    s = signatories(1)
    mailing = update(s.p, approved=False)
    services.request_approval(mailing, actor=s.p.council_editor)

    with pytest.raises(PermissionDenied):
        services.send_back(mailing, "No", actor=s.p.council_signatory)  # the writer's own organisation
