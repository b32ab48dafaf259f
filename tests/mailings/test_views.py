"""The update pages: compose, preview, approve, send, progress, history and the public page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.timezone import LONDON
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


def _ready_to_send(client) -> tuple[str, Mailing]:
    """An update written by a signed-in editor, on a statement whose updates need no approval."""
    s = signatories(1)
    slug = s.p.statement.slug
    client.login(s.p.council_editor)
    _compose(client, slug)
    client.post(f"/statements/{slug}/updates/settings", data={"approval_required": "no"})
    return slug, db.session.query(Mailing).one()


def test_a_schedule_in_the_past_is_refused(app, client):
    slug, mailing = _ready_to_send(client)

    past = (utcnow() - timedelta(days=1)).astimezone(LONDON)
    response = client.post(
        f"/statements/{slug}/updates/{mailing.id}/send",
        data={"when": "later", "send_on": [str(past.day), str(past.month), str(past.year)], "send_at": "9:30am"},
    )

    assert response.status_code == 400
    assert "future" in response.text
    # What they typed stays in the boxes.
    assert f'id="send_on-day" name="send_on" type="text" value="{past.day}"' in response.text
    assert 'value="9:30am"' in response.text
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DRAFT


def test_an_update_is_scheduled_for_a_date_and_time_in_uk_time(app, client):
    slug, mailing = _ready_to_send(client)
    url = f"/statements/{slug}/updates/{mailing.id}/send"
    day = (utcnow() + timedelta(days=30)).astimezone(LONDON).date()
    boxes = [str(day.day), str(day.month), str(day.year)]

    no_time = client.post(url, data={"when": "later", "send_on": boxes, "send_at": ""})
    assert no_time.status_code == 400 and "Enter the time to send it" in no_time.text
    no_date = client.post(url, data={"when": "later", "send_on": ["", "", ""], "send_at": "2:30pm"})
    assert no_date.status_code == 400 and "Enter the date to send it" in no_date.text
    bad_date = client.post(url, data={"when": "later", "send_on": [boxes[0], "", boxes[2]], "send_at": "2:30pm"})
    assert bad_date.status_code == 400 and "Date to send must include a month" in bad_date.text
    bad_time = client.post(url, data={"when": "later", "send_on": boxes, "send_at": "half two"})
    assert bad_time.status_code == 400 and "Time to send must be a real time" in bad_time.text
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DRAFT

    response = client.post(url, data={"when": "later", "send_on": boxes, "send_at": "2:30pm"})
    assert response.status_code == 303
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.SCHEDULED
    assert mailing.scheduled_at == datetime.combine(day, time(14, 30), tzinfo=LONDON)


def test_sending_now_ignores_whatever_is_left_in_the_date_and_time_boxes(app, client):
    slug, mailing = _ready_to_send(client)
    response = client.post(
        f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "now", "send_on": ["x", "", ""], "send_at": "?"}
    )
    assert response.status_code == 303
    db.session.refresh(mailing)
    assert mailing.status != MailingStatus.DRAFT


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
