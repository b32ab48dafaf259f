"""The update pages: compose, preview, approve, send, progress, history and the public page."""

from __future__ import annotations

from datetime import timedelta

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings.models import Mailing, MailingStatus
from tests.mailings.builders import BODY, signatories
from tests.mailings.test_sending import updates


def _compose(client, slug, **data):
    values = {"subject": "Submitted to the Treasury", "body": BODY, "audience": "signatories", "kind": "", "region": ""}
    values.update(data)
    return client.post(f"/statements/{slug}/updates/new", data=values)


def test_an_editor_composes_previews_gets_approval_and_sends(app, client, deliver):
    s = signatories(2)
    slug = s.p.statement.slug
    client.login(s.p.council_editor)

    response = _compose(client, slug)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Every signatory who asked for updates: 2 people" in page.text
    assert "Dear Signer 1," in page.text  # the plain text, filled for a sample recipient
    mailing = db.session.query(Mailing).one()
    frame = client.get(f"/statements/{slug}/updates/{mailing.id}/email")
    assert "<strong>Signing Trust 1</strong>" in frame.text
    assert "unsafe-inline" in frame.headers["Content-Security-Policy"]

    refused = client.post(f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "now"})
    assert refused.status_code == 409
    assert client.post(f"/statements/{slug}/updates/{mailing.id}/request-approval").status_code == 303

    client.logout()
    client.login(s.p.charity_signatory)
    assert "Approve the update" in client.get(f"/statements/{slug}/updates/{mailing.id}").text
    assert client.post(f"/statements/{slug}/updates/{mailing.id}/approve").status_code == 303

    client.logout()
    client.login(s.p.council_editor)
    sent = client.post(f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "now"})
    assert sent.status_code == 303
    progress = client.get(sent.headers["Location"])
    assert '<meta http-equiv="refresh"' in progress.text
    assert client.get(f"/statements/{slug}/updates/{mailing.id}/progress.json").json["queued"] == 2

    assert {r.recipients[0] for r in updates(deliver())} == s.expected
    data = client.get(f"/statements/{slug}/updates/{mailing.id}/progress.json").json
    assert (data["sent"], data["queued"], data["percent"], data["finished"]) == (2, 0, 100, True)
    assert '<meta http-equiv="refresh"' not in client.get(sent.headers["Location"]).text
    history = client.get(f"/statements/{slug}/updates")
    assert "Submitted to the Treasury" in history.text and "Sue Trustee" in history.text


def test_bad_input_gets_a_clear_message_and_nothing_is_saved(app, client):
    s = signatories(1)
    slug = s.p.statement.slug
    client.login(s.p.council_editor)

    empty = _compose(client, slug, subject="", body="")
    assert empty.status_code == 400
    assert "Enter a subject" in empty.text and "Enter the text of the update" in empty.text
    nobody = _compose(client, slug, audience="filtered")
    assert nobody.status_code == 400
    assert db.session.query(Mailing).count() == 0


def test_a_schedule_in_the_past_is_refused(app, client):
    s = signatories(1)
    slug = s.p.statement.slug
    client.login(s.p.council_editor)
    _compose(client, slug)
    mailing = db.session.query(Mailing).one()
    client.post(f"/statements/{slug}/updates/settings", data={"approval_required": "no"})

    past = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "later", "at": past})

    assert response.status_code == 400
    assert "future" in response.text
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DRAFT


def test_owners_publish_a_sent_update_on_the_public_page(app, client, deliver):
    s = signatories(1)
    slug = s.p.statement.slug
    client.login(s.p.council_editor)
    client.post(f"/statements/{slug}/updates/settings", data={"approval_required": "no"})
    _compose(client, slug)
    mailing = db.session.query(Mailing).one()
    client.post(f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "now"})
    assert "Submitted to the Treasury" not in client.get(f"/s/{slug}/updates").text

    assert client.post(f"/statements/{slug}/updates/{mailing.id}/publish").status_code == 303

    client.logout()
    public = client.get(f"/s/{slug}/updates")
    assert public.status_code == 200
    assert "Submitted to the Treasury" in public.text
    assert "Dear signatory," in client.get(f"/s/{slug}/updates/{mailing.id}").text
