"""A newer agreed text: each signatory is emailed what changed, with a choice to confirm it or withdraw."""

from __future__ import annotations

from campaigns.extensions import db
from campaigns.signatures.counting import totals
from campaigns.signatures.models import SignatureStatus
from tests.signatures.builders import confirmed, open_statement, signing_organisation
from tests.signatures.test_services import new_agreed_revision
from tests.support.links import path_of


def test_the_email_shows_the_word_diff_and_confirming_pins_the_newer_text(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    first = signature.revision
    deliver()
    new_agreed_revision(p)
    emails = [m for m in deliver() if m.recipients == [signatory.email]]
    (email,) = emails
    assert "has changed: confirm or withdraw your signature" in email.subject
    assert "[added: And we mean it.]" in email.text
    assert "[added: Meet us]" in email.text
    assert "<ins" in email.html and "And we mean it." in email.html

    page = client.get(f"/s/{p.statement.slug}")
    assert "1 organisation has signed" in page.text

    link = email.link("/reconfirm/")
    shown = client.get(path_of(link))
    assert shown.status_code == 200
    assert f"signed revision {first.number}" in shown.text
    assert "And we mean it." in shown.text
    assert client.post(path_of(link)).status_code == 303
    db.session.refresh(signature)
    assert signature.revision_id == p.statement.agreed_revision_id
    assert signature.reconfirm_revision_id is None
    again = client.post(path_of(link))
    assert again.status_code == 400 and "already been used" in again.text


def test_withdrawing_from_the_email_takes_the_signature_off_at_once(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    deliver()
    new_agreed_revision(p)
    (email,) = [m for m in deliver() if m.recipients == [signatory.email]]
    link = email.link("/withdraw/")
    page = client.get(path_of(link))
    assert "Withdraw a signature" in page.text
    assert client.post(path_of(link), data={"reason": "We disagree with the new ask"}).status_code == 303
    db.session.refresh(signature)
    assert signature.status == SignatureStatus.WITHDRAWN
    assert signature.withdrawal_reason == "We disagree with the new ask"
    assert totals(p.statement.id).total == 0
    # The confirm link from the same email no longer works: every link is single-use.
    assert client.post(path_of(email.link("/reconfirm/"))).status_code == 400


def test_a_link_for_another_statement_is_refused(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    (receipt,) = [m for m in deliver() if m.recipients == [signatory.email] and "confirmed" in m.subject]
    token = receipt.link("/withdraw/").rsplit("/", 1)[1]
    other = open_statement()
    assert other.statement.slug != p.statement.slug
    response = client.post(f"/s/{other.statement.slug}/withdraw/{token}", data={})
    assert response.status_code == 400
    db.session.refresh(signature)
    assert signature.status == SignatureStatus.CONFIRMED
