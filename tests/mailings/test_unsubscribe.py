"""Unsubscribing without signing in: by the link's page, or by the mail client's one-click POST."""

from __future__ import annotations

import urllib.request

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.mailings import unsubscribing
from campaigns.mailings.models import Suppression
from campaigns.outbox.services import queue_email
from tests.mailings.builders import signatories, update
from tests.mailings.test_sending import send, updates
from tests.support.wire import unsubscribe_link


def _first_update_to(address, received):
    return next(r for r in updates(received) if r.recipients[0] == address)


def test_following_the_link_shows_a_button_and_pressing_it_stops_updates(app, client, deliver):
    s = signatories(2)
    send(update(s.p), s.p.council_editor)
    message = _first_update_to("signer1@example.org", deliver())
    link = message.link("/updates/unsubscribe/")

    page = client.get(link)
    assert page.status_code == 200
    assert "Stop updates about" in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 0  # a GET changes nothing

    done = client.post(link, csrf=False)
    assert done.status_code == 200
    assert "Updates stopped" in done.text

    later = update(s.p, subject="Second")
    send(later, s.p.council_editor)
    assert {r.recipients[0] for r in updates(deliver())} == {"signer2@example.org"}


def test_a_one_click_post_over_http_with_no_cookie_or_csrf_token_stops_updates(app, live_server, deliver):
    """RFC 8058 §3.2: the mail program POSTs `List-Unsubscribe=One-Click` to the header's URL, as a stranger."""
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    raw = _first_update_to("signer1@example.org", deliver()).raw
    link, _mailto = unsubscribe_link(raw)  # read from the bytes on the wire, not from a decoded header
    assert link.startswith(live_server)

    request = urllib.request.Request(
        link,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert "Updates stopped" in response.read().decode()

    db.session.expire_all()
    assert unsubscribing.is_suppressed("signer1@example.org", s.p.statement)
    assert not unsubscribing.is_suppressed("signer1@example.org", None)  # other statements' updates still come


def test_a_used_or_tampered_link_is_refused_and_changes_nothing(app, client, deliver):
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    link = _first_update_to("signer1@example.org", deliver()).link("/updates/unsubscribe/")

    assert client.post(link[:-3] + "abc", csrf=False).status_code == 400
    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.post(link, csrf=False).status_code == 200
    again = client.post(link, csrf=False)
    assert again.status_code == 400
    assert "already been used" in again.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 1


def test_after_unsubscribing_one_can_stop_every_update_and_transactional_email_still_comes(app, client, deliver):
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    link = _first_update_to("signer1@example.org", deliver()).link("/updates/unsubscribe/")
    client.post(link, csrf=False)

    response = client.post(link + "/all", csrf=False)

    assert response.status_code == 200
    assert "All updates stopped" in response.text
    assert unsubscribing.is_suppressed("signer1@example.org", None)
    assert client.post(link + "/all", csrf=False).status_code == 400


def test_unsubscribing_from_every_update_leaves_transactional_email_alone(app, client, deliver):
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    link = _first_update_to("signer1@example.org", deliver()).link("/updates/unsubscribe/")
    client.post(link, csrf=False)
    client.post(link + "/all", csrf=False)

    queue_email(
        "signer1@example.org", "password_changed", user=s.p.council_editor, reset_link="https://x.example.org/r"
    )
    db.session.commit()

    assert [r.recipients[0] for r in deliver()] == ["signer1@example.org"]


def test_the_page_says_what_will_happen_before_the_button_and_what_happened_after(app, client, deliver):
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    link = _first_update_to("signer1@example.org", deliver()).link("/updates/unsubscribe/")
    send(update(s.p, subject="Second"), s.p.council_editor)  # queued, not yet delivered

    before = client.get(link).text
    assert "If you press the button:" in before
    assert "signer1@example.org</strong> will get no more email updates about ‘Fund councils fairly’" in before
    assert "signature stays on the statement and still counts" in before
    assert "Nothing happens until you press the button." in before

    after = client.post(link, csrf=False).text
    assert "Updates stopped" in after and "What happened" in after
    assert "1 update that was waiting to be sent to you will not be sent." in after
    assert "Your organisation’s signature has not changed." in after
    assert updates(deliver()) == [], "the waiting copy was stopped"
    assert "any statement, now or in future" in after, "what the second button would do, before it is pressed"
