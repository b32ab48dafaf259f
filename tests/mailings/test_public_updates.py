"""Published updates on the statement's public page: a list newest first, a page each, and an Atom feed; the
merge fields in general terms everywhere but in each recipient's own copy."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings import services
from tests.mailings.builders import signatories, update

ATOM = "{http://www.w3.org/2005/Atom}"


def published_update(s, subject, days_ago, body="Dear ((name)),\n\nNews for **((organisation))**."):
    mailing = update(s.p, subject=subject, body=body)
    services.send(mailing, actor=s.p.council_editor)
    services.publish(mailing, actor=s.p.council_editor)
    mailing.published_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return mailing


def test_published_updates_are_listed_newest_first_each_with_its_own_page(app, client):
    s = signatories(1)
    older = published_update(s, "We wrote to the Treasury", 5)
    newer = published_update(s, "The minister replied to ((organisation))", 1)
    update(s.p, subject="Not sent, never public")
    slug = s.p.statement.slug

    listing = client.get(f"/s/{slug}/updates").text
    assert listing.index("The minister replied to your organisation") < listing.index("We wrote to the Treasury")
    assert "Not sent, never public" not in listing and "((" not in listing

    page = client.get(f"/s/{slug}/updates/{newer.id}")
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">The minister replied to your organisation</h1>' in page.text
    assert "Dear signatory," in page.text and "<strong>your organisation</strong>" in page.text
    assert f"/s/{slug}/updates/{newer.id}" in page.text, "its permanent link is on it"
    assert "((" not in page.text
    statement_page = client.get(f"/s/{slug}").text
    assert f"/s/{slug}/updates/{older.id}" in statement_page and f"/s/{slug}/updates/{newer.id}" in statement_page
    assert 'type="application/atom+xml"' in statement_page


def test_an_unpublished_or_someone_elses_update_has_no_public_page(app, client):
    s = signatories(1)
    mailing = update(s.p)
    services.send(mailing, actor=s.p.council_editor)
    db.session.commit()
    other = signatories(1)
    slug = s.p.statement.slug
    assert client.get(f"/s/{slug}/updates/{mailing.id}").status_code == 404
    shown = published_update(other, "Elsewhere", 1)
    assert client.get(f"/s/{slug}/updates/{shown.id}").status_code == 404
    assert client.get(f"/s/{other.p.statement.slug}/updates/{shown.id}").status_code == 200


def test_the_atom_feed_has_each_published_update_newest_first(app, client):
    s = signatories(1)
    older = published_update(s, "We wrote to the Treasury", 5)
    newer = published_update(s, "The minister replied to ((organisation))", 1)
    slug = s.p.statement.slug

    response = client.get(f"/s/{slug}/updates.atom")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # well-formed XML, or this raises
    assert feed.tag == f"{ATOM}feed"
    base = app.config["CAMPAIGNS_BASE_URL"]
    assert feed.find(f"{ATOM}id").text == f"{base}/s/{slug}/updates.atom"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{base}/s/{slug}/updates.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "The minister replied to your organisation",
        "We wrote to the Treasury",
    ]
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"{base}/s/{slug}/updates/{newer.id}",
        f"{base}/s/{slug}/updates/{older.id}",
    ]
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "html" and "<strong>your organisation</strong>" in content.text
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Northshire County Council"
    assert feed.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text
    assert b"((" not in response.data


def test_a_statement_with_no_published_updates_has_an_empty_feed(app, client):
    s = signatories(1)
    feed = ET.fromstring(client.get(f"/s/{s.p.statement.slug}/updates.atom").data)
    assert feed.findall(f"{ATOM}entry") == []
    assert "No updates have been published yet." in client.get(f"/s/{s.p.statement.slug}/updates").text


def test_the_writers_preview_history_and_progress_show_no_raw_merge_field(app, client):
    s = signatories(2)
    mailing = update(s.p, subject="We met the minister, ((name))")
    client.login(s.p.council_editor)
    slug = s.p.statement.slug
    preview = client.get(f"/statements/{slug}/updates/{mailing.id}").text
    assert '<h1 class="govuk-heading-l">We met the minister, signatory</h1>' in preview
    assert "Subject: We met the minister, Signer 1" in preview, "the preview itself is the first recipient's copy"
    client.post(f"/statements/{slug}/updates/{mailing.id}/send", data={"when": "now"})
    for path in (f"/statements/{slug}/updates/{mailing.id}/progress", f"/statements/{slug}/updates"):
        page = client.get(path).text
        assert "We met the minister, signatory" in page
        assert "((name))" not in page
