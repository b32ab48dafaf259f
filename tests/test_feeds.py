"""Atom feeds a reader can follow: new public statements, a statement's public replies, a target's public replies.

Each is checked as a feed reader would read it (tests/support/atom.py: the elements RFC 4287 requires), and
holds only what the public pages show: no draft or agreed-but-unopened statement, no private reply."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.statements.merging import StatementText
from campaigns.submissions import services
from campaigns.submissions.models import ResponseKind, Stance
from campaigns.submissions.services import ResponseDetails
from tests.statements.builders import TEXT, agree, partnership, publish, start_statement
from tests.submissions.builders import AGREED_AT, make_target, send
from tests.support.atom import alternate_feeds, entries, parse_atom


def _statement(title: str, at: datetime = AGREED_AT):
    with clock_at(at):
        p = partnership(StatementText(title, TEXT.summary, TEXT.body, TEXT.asks))
        publish(p)
    return p


def _reply(p, submission, summary: str, *, public: bool, received_on: date = date(2026, 11, 20)):
    reply = services.record_response(
        submission,
        ResponseDetails(
            kind=ResponseKind.FULL,
            received_on=received_on,
            from_whom="Minister for Local Government",
            summary=summary,
            full_text="The full letter <with> markup-like text.",
            stance=Stance.SUPPORTIVE,
            is_public=public,
        ),
        actor=p.council_editor,
        today=date(2026, 11, 25),
    )
    db.session.commit()
    return reply


def test_the_new_statements_feed_lists_public_statements_newest_first_and_nothing_unpublished(app, client):
    newer = _statement("Keep the household support fund", AGREED_AT + timedelta(days=3))
    older = _statement("Fund councils fairly")
    agreed_only = partnership(StatementText("Agreed but not yet open", TEXT.summary, TEXT.body, TEXT.asks))
    agree(agreed_only)
    start_statement(older.council_editor, older.council, StatementText("A draft", TEXT.summary, TEXT.body, TEXT.asks))
    db.session.commit()

    response = client.get("/statements.atom")

    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = parse_atom(response.data)
    found = entries(feed)
    assert [entry["title"] for entry in found] == ["Keep the household support fund", "Fund councils fairly"]
    assert found[0]["link"].endswith(f"/s/{newer.statement.slug}") and found[0]["id"] == found[0]["link"]
    assert found[1]["link"].endswith(f"/s/{older.statement.slug}")
    assert found[0]["author"] == "Northshire County Council"
    assert "Councils face a funding gap." in found[0]["content"]
    assert b"Agreed but not yet open" not in response.data and b"A draft" not in response.data
    assert "/statements.atom" in alternate_feeds(client.get("/statements").text)


def test_a_statements_replies_feed_has_its_public_replies_only(app, client):
    p = _statement("Fund councils fairly")
    treasury, dluhc = send(p, make_target("HM Treasury"), make_target("Ministry of Housing"))
    public = _reply(p, treasury, "We will consider a three-year settlement.", public=True)
    _reply(p, dluhc, "Private: not for publication.", public=False)
    later = _reply(p, dluhc, "We agree in part.", public=True, received_on=date(2026, 11, 24))
    other = _statement("Another statement")
    _reply(other, send(other, make_target("Cabinet Office"))[0], "About something else.", public=True)
    slug, base = p.statement.slug, app.config["CAMPAIGNS_BASE_URL"]

    response = client.get(f"/s/{slug}/replies.atom")

    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    found = entries(parse_atom(response.data))
    assert [entry["link"] for entry in found] == [
        f"{base}/s/{slug}#reply-{later.id}",
        f"{base}/s/{slug}#reply-{public.id}",
    ]
    assert found[1]["title"] == "Full reply from Minister for Local Government on ‘Fund councils fairly’"
    assert "We will consider a three-year settlement." in found[1]["content"]
    assert "&lt;with&gt;" in found[1]["content"], "reply text is escaped, never markup"
    assert b"Private: not for publication." not in response.data and b"About something else." not in response.data
    page = client.get(f"/s/{slug}").text
    assert f"/s/{slug}/replies.atom" in alternate_feeds(page)
    assert f'id="reply-{public.id}"' in page, "each entry's link leads to the reply on the page"


def test_a_targets_replies_feed_has_its_public_replies_to_published_statements(app, client):
    treasury = make_target("HM Treasury")
    p = _statement("Fund councils fairly")
    other = _statement("Keep the household support fund")
    first = _reply(p, send(p, treasury)[0], "We will consider it.", public=True)
    _reply(other, send(other, treasury)[0], "Private view.", public=False)
    _reply(other, send(other, make_target("Cabinet Office"))[0], "Another body's reply.", public=True)

    response = client.get(f"/targets/{treasury.slug}/replies.atom")

    found = entries(parse_atom(response.data))
    base = app.config["CAMPAIGNS_BASE_URL"]
    assert [entry["link"] for entry in found] == [f"{base}/targets/{treasury.slug}#reply-{first.id}"]
    assert found[0]["summary"] == "HM Treasury replied (supportive)."
    assert b"Private view." not in response.data and b"Another body" not in response.data
    page = client.get(f"/targets/{treasury.slug}").text
    assert f"/targets/{treasury.slug}/replies.atom" in alternate_feeds(page)
    assert f'id="reply-{first.id}"' in page


def test_feeds_of_what_is_not_public_are_not_found(app, client):
    p = partnership()
    agree(p)
    assert client.get(f"/s/{p.statement.slug}/replies.atom").status_code == 404
    assert client.get("/s/no-such-statement/replies.atom").status_code == 404
    assert client.get("/targets/no-such-target/replies.atom").status_code == 404


def test_an_empty_feed_is_still_a_valid_feed(app, client):
    for address in ("/statements.atom", f"/targets/{make_target('HM Treasury').slug}/replies.atom"):
        assert entries(parse_atom(client.get(address).data)) == []
