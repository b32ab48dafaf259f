"""The statement owners' list of signatures: everything about every signature, filtered, paged by key, and
hiding a signature with a reason the signatory is sent."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures import services
from campaigns.signatures.counting import totals
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements import signoff
from campaigns.templating import format_date
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign, signing_organisation
from tests.signatures.test_services import new_agreed_revision
from tests.statements.builders import agree, partnership
from tests.support.concurrency import at_once


def owners_page(client, p, **query: str):
    return client.get(f"/statements/{p.statement.slug}/signatures", query_string=query)


def listed(page) -> list[str]:
    """The organisations on a page of the list, in order."""
    return re.findall(r'id="signature-\d+">\s*<h3[^>]*><a class="govuk-link" href="[^"]*">([^<]+)</a>', page.text)


def test_owners_see_every_signature_with_contact_details_and_what_became_of_it(client):
    p = open_statement()
    council, council_signatory = signing_organisation(
        "Wexdale District Council", OrganisationKind.COUNCIL, subtype="district", region="north_west"
    )
    confirmed(
        p.statement,
        council,
        council_signatory,
        comment="Our residents need this.",
        wants_updates=True,
        may_contact=frozenset({p.charity.id}),
    )
    sign(
        p.statement,
        make_organisation("Riverside Food Bank", verified=False),
        signer_email="pat@riverside.example.org",
        may_contact=frozenset({p.charity.id}),  # the co-author whose editor looks below
    )
    withdrawn = confirmed(p.statement, make_organisation("Hillside Tenants"), list_publicly=False)
    services.withdraw_by_link(signature_token(withdrawn, "withdraw"), p.statement, "Our trustees disagreed")
    hidden = confirmed(p.statement, make_organisation("Spam Limited"))
    services.hide(hidden, actor=p.council_editor, reason="Not a real organisation")
    expired = sign(p.statement, make_organisation("Slow Charity"))
    expired.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    services.expire_unconfirmed()
    db.session.commit()

    client.login(p.charity_editor)
    page = owners_page(client, p)

    assert page.status_code == 200
    text = page.text
    assert "Wexdale District Council" in text and "District council · North West · Verified" in text
    assert council_signatory.email in text and "Our residents need this." in text and "Wants email updates" in text
    assert "Riverside Food Bank" in text and ">Unverified</strong>" in text and "pat@riverside.example.org" in text
    for status in ("Confirmed", "Awaiting confirmation", "Withdrawn", "Hidden", "Expired"):
        assert f'">{status}</strong>' in text, status
    assert "Their reason, seen only by you and the other authors: Our trustees disagreed" in text
    assert f"by {p.council_editor.name}: Not a real organisation" in text
    assert "Counted, not named publicly" in text
    assert f'href="/statements/{p.statement.slug}/signatures.csv"' in text
    assert "1 organisation counts as of " in text


def test_signatures_of_an_earlier_version_show_whether_they_still_count(client):
    p = open_statement()
    settings = services.saved_settings(p.statement)
    settings.earlier_version_days = 14
    db.session.commit()
    waiting = confirmed(p.statement, make_organisation("Waiting Trust"))
    lapsing = confirmed(p.statement, make_organisation("Lapsed Trust"))
    new_agreed_revision(p)
    lapsing.reconfirm_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    services.lapse_due()
    db.session.commit()

    client.login(p.council_editor)
    text = owners_page(client, p).text
    assert '">Signed an earlier version</strong>' in text and '">Stopped counting</strong>' in text
    assert "Signed revision 1; asked" in text and "to confirm revision 2" in text
    assert f"Counts until {format_date(waiting.reconfirm_by)} unless they confirm" in text
    lapsed_only = owners_page(client, p, status="lapsed")
    assert listed(lapsed_only) == ["Lapsed Trust"]


def test_the_list_filters_by_status_and_finds_organisations_by_name(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Riverside Food Bank"))
    confirmed(p.statement, make_organisation("Hillside Tenants"))
    sign(p.statement, make_organisation("Riverside Rowing Club"))
    client.login(p.council_editor)

    assert listed(owners_page(client, p, status="pending")) == ["Riverside Rowing Club"]
    assert listed(owners_page(client, p, q="RIVERSIDE")) == ["Riverside Rowing Club", "Riverside Food Bank"]
    assert listed(owners_page(client, p, q="riverside", status="confirmed")) == ["Riverside Food Bank"]
    nothing = owners_page(client, p, q="%")
    assert listed(nothing) == [] and "No signatures match" in nothing.text
    assert "No signatures are ‘hidden’" in owners_page(client, p, status="hidden").text
    everything = owners_page(client, p, status="no-such-status")
    assert everything.status_code == 200 and len(listed(everything)) == 3


def test_the_list_pages_by_key_newest_first_without_losing_or_repeating_anyone(client):
    p = open_statement()
    same_moment = utcnow() - timedelta(hours=1)
    for n in range(55):
        signature = sign(p.statement, make_organisation(f"Organisation {n:02d}"))
        if n < 10:
            signature.created_at = same_moment  # ties are ordered by id, so none is skipped between pages
    db.session.commit()
    client.login(p.council_editor)
    queries: list[tuple[str, object]] = []

    def remember(_connection, _cursor, statement, parameters, *_args) -> None:
        if "FROM signatures JOIN organisations" in statement:
            queries.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        first = owners_page(client, p)
        after = re.search(r'href="[^"]*after=([0-9-]+)[^"]*"', first.text)
        assert after is not None
        second = owners_page(client, p, after=after[1])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)

    names = listed(first) + listed(second)
    assert len(listed(first)) == 50
    assert sorted(names) == sorted(f"Organisation {n:02d}" for n in range(55))
    assert names[:3] == ["Organisation 54", "Organisation 53", "Organisation 52"]
    assert names[-10:] == [f"Organisation {n:02d}" for n in range(9, -1, -1)]
    assert "Newest" in second.text and "Older" not in second.text
    # Each page is found by key: the second starts where the first ended, and nothing is skipped by OFFSET
    # (SQLite's dialect writes "OFFSET 0" after every LIMIT; PostgreSQL's writes none).
    assert len(queries) == 2 and "(signatures.created_at, signatures.id) <" in queries[1][0]
    for statement, parameters in queries:
        assert "OFFSET" not in statement or (statement.endswith("OFFSET ?") and list(parameters)[-1] == 0)


def test_a_page_address_that_was_not_made_by_us_shows_the_first_page(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Riverside Food Bank"))
    client.login(p.council_editor)
    for after in ("garbage", "99999999999999999-1", "1-99999999999", "-5"):
        page = owners_page(client, p, after=after)
        assert page.status_code == 200, after


def test_only_the_statements_owners_see_the_list(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Riverside Food Bank"), signer_email="pat@riverside.example.org")
    for person in (p.reviewer_member, p.council_member, p.council_signatory):
        client.login(person)
        refused = owners_page(client, p)
        assert refused.status_code == 403, person.name
        assert "pat@riverside.example.org" not in refused.text
        client.logout()
    _, outsider = signing_organisation("Elsewhere Trust")
    client.login(outsider)
    assert owners_page(client, p).status_code == 404
    client.logout()
    anonymous = owners_page(client, p)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/sign-in")


def test_the_workspace_links_owners_to_the_list_once_the_statement_is_open(client):
    p = partnership()
    agree(p)
    client.login(p.council_editor)
    before = client.get(f"/statements/{p.statement.slug}").text
    assert f"/statements/{p.statement.slug}/signatures/settings" in before
    assert f'href="/statements/{p.statement.slug}/signatures"' not in before
    signoff.open_for_signatures(p.statement, actor=p.council_editor)
    db.session.commit()
    opened = client.get(f"/statements/{p.statement.slug}").text
    assert f'href="/statements/{p.statement.slug}/signatures"' in opened
    client.logout()
    client.login(p.reviewer_member)
    assert "/signatures" not in client.get(f"/statements/{p.statement.slug}").text


def test_an_owner_hides_a_signature_and_the_signatory_is_emailed_the_reason(client, deliver):
    p = open_statement()
    organisation, signatory = signing_organisation("Dubious Trust")
    signature = confirmed(p.statement, organisation, signatory)
    deliver()
    client.login(p.charity_editor)
    hide_path = f"/statements/{p.statement.slug}/signatures/{signature.id}/hide"

    form = client.get(hide_path)
    assert form.status_code == 200
    assert "Hide Dubious Trust’s signature" in form.text and signatory.email in form.text
    missing = client.post(hide_path, data={"reason": "  "})
    assert missing.status_code == 400 and "Say why you are hiding this signature" in missing.text
    assert db.session.get(Signature, signature.id).status == SignatureStatus.CONFIRMED

    done = client.post(hide_path, data={"reason": "The organisation says it never signed."})
    assert done.status_code == 303
    listing = client.get(done.headers["Location"])
    assert "Dubious Trust’s signature has been hidden" in listing.text
    assert "The organisation says it never signed." in listing.text
    assert totals(p.statement.id).total == 0
    (email,) = deliver()
    assert email.recipients == [signatory.email]
    assert "The organisation says it never signed." in email.text


def test_hiding_twice_says_it_is_already_hidden_and_keeps_the_reason_typed(client):
    p = open_statement()
    signature = confirmed(p.statement, make_organisation("Dubious Trust"))
    hide_path = f"/statements/{p.statement.slug}/signatures/{signature.id}/hide"
    client.login(p.charity_editor)
    assert client.post(hide_path, data={"reason": "First reason."}).status_code == 303
    again = client.post(hide_path, data={"reason": "Second reason."})
    assert again.status_code == 409
    assert f"Dubious Trust’s signature has already been hidden by {p.charity_editor.name}" in again.text
    assert "Second reason." in again.text
    assert db.session.get(Signature, signature.id).hidden_reason == "First reason."


def test_two_owners_hiding_the_same_signature_at_once_hide_it_once(client, app):
    p = open_statement()
    signature = confirmed(p.statement, make_organisation("Dubious Trust"))
    hide_path = f"/statements/{p.statement.slug}/signatures/{signature.id}/hide"
    first, second = app.test_client(), app.test_client()
    first.login(p.council_editor)
    second.login(p.charity_editor)

    responses = at_once(
        lambda: first.post(hide_path, data={"reason": "Council's reason."}),
        lambda: second.post(hide_path, data={"reason": "Charity's reason."}),
    )

    assert sorted(r.status_code for r in responses) == [303, 409]
    assert totals(p.statement.id).total == 0
    events = db.session.scalar(sa.text("SELECT count(*) FROM audit_events WHERE action = 'signature.hidden'"))
    assert events == 1


def test_a_signature_of_another_statement_cannot_be_hidden_through_this_one(client):
    p = open_statement()
    other = open_statement()
    signature = confirmed(other.statement, make_organisation("Dubious Trust"))
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/signatures/{signature.id}/hide", data={"reason": "Not ours."}
    )
    assert response.status_code == 404
    assert db.session.get(Signature, signature.id).status == SignatureStatus.CONFIRMED
