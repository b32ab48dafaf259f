"""The public read API shows what the public pages show, and nothing they hide: the same authorisation as the pages,
asserted on the bytes a program receives."""

from __future__ import annotations

import json
from datetime import timedelta

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations import services as organisation_services
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures.models import SignatureSettings
from campaigns.statements.merging import StatementText
from tests.factories import make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, sign, signing_organisation
from tests.statements.builders import partnership, start_statement
from tests.submissions.builders import make_target, private_reply_with_a_file, send, signed_statement

PROBLEM = "application/problem+json"


def body(response) -> dict:
    return json.loads(response.get_data(as_text=True))


def test_a_published_statement_comes_with_its_agreed_text_authors_and_permalinks(client):
    p = open_statement()
    response = client.get(f"/api/v1/statements/{p.statement.slug}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    statement = body(response)
    assert statement["slug"] == p.statement.slug and statement["stage"] == "open"
    assert statement["text"]["title"] == p.statement.agreed_revision.title
    assert statement["text"]["agreed"] is True and statement["text"]["published"] is True
    assert statement["authors"][0]["name"] == p.council.name
    number = p.statement.agreed_revision.number
    assert statement["agreed_revisions"][0]["links"]["html"].endswith(f"/s/{p.statement.slug}/r/{number}")
    assert statement["agreed_at"].endswith("Z")
    listed = body(client.get("/api/v1/statements"))
    assert [s["slug"] for s in listed["items"]] == [p.statement.slug]
    text = client.get(f"/api/v1/statements/{p.statement.slug}/revisions/{number}")
    assert body(text)["body"] == p.statement.agreed_revision.body


def test_a_draft_is_not_found_anywhere_in_the_api(client):
    p = partnership()
    draft = start_statement(p.council_editor, p.council, StatementText("Secret plan", "S", "B", ("A",)))
    db.session.commit()
    for path in ("", "/signatories", "/counts", "/submissions", "/revisions/1"):
        response = client.get(f"/api/v1/statements/{draft.slug}{path}")
        assert response.status_code == 404 and response.mimetype == PROBLEM, path
        assert "Secret plan" not in response.get_data(as_text=True)
    assert "Secret plan" not in client.get("/api/v1/statements").get_data(as_text=True)


def test_an_unlisted_signatory_is_counted_but_never_named_and_no_email_is_given(client):
    p = open_statement()
    named, named_signatory = signing_organisation("Named Trust")
    confirmed(p.statement, named, named_signatory)
    hidden, hidden_signatory = signing_organisation("Quiet Trust")
    confirmed(p.statement, hidden, hidden_signatory, list_publicly=False)
    page = client.get(f"/api/v1/statements/{p.statement.slug}/signatories")
    text = page.get_data(as_text=True)
    assert "Named Trust" in text and "Quiet Trust" not in text
    assert "@" not in text  # no signer's (or anyone's) email address
    counts = body(client.get(f"/api/v1/statements/{p.statement.slug}/counts"))
    assert counts["total"] == 2 and counts["by_kind"]["vcs"] == 2
    assert sum(counts["by_region"].values()) == 1  # only the named one is counted by region


def test_an_unconfirmed_signature_is_not_listed(client):
    p = open_statement()
    sign(p.statement, make_organisation("Pending Trust"), signer_email="pending@example.org")
    text = client.get(f"/api/v1/statements/{p.statement.slug}/signatories").get_data(as_text=True)
    assert "Pending Trust" not in text and "pending@example.org" not in text


def test_before_its_launch_a_statements_signatures_are_not_public(client):
    p = open_statement()
    organisation, signatory = signing_organisation("Early Trust")
    confirmed(p.statement, organisation, signatory)
    db.session.get(SignatureSettings, p.statement.id).launch_at = utcnow() + timedelta(days=30)
    db.session.commit()
    page = body(client.get(f"/api/v1/statements/{p.statement.slug}/signatories"))
    assert page["launched"] is False and page["items"] == []
    counts = body(client.get(f"/api/v1/statements/{p.statement.slug}/counts"))
    assert counts["launched"] is False and counts["total"] == 0 and counts["by_region"] == {}
    assert "Early Trust" not in json.dumps(page) + json.dumps(counts)


def test_a_private_reply_shows_only_its_kind_and_date(client):
    p = open_statement()
    private_reply_with_a_file(p.statement)
    sent = body(client.get(f"/api/v1/statements/{p.statement.slug}/submissions"))
    reply = sent["items"][0]["replies"][0]
    assert reply["public"] is False and reply["summary"] is None and reply["from_whom"] is None
    link = sent["items"][0]["target"]["links"]["self"]
    target = body(client.get(link[link.index("/api/") :]))
    assert "private view" not in json.dumps(sent) + json.dumps(target)


def test_signatories_are_paged_newest_first_with_links_that_keep_the_filters(client):
    p = open_statement()
    for n in range(3):
        organisation, signatory = signing_organisation(f"Trust {n}")
        confirmed(p.statement, organisation, signatory)
    first = body(client.get(f"/api/v1/statements/{p.statement.slug}/signatories?limit=2&kind=vcs"))
    assert [s["organisation"]["name"] for s in first["items"]] == ["Trust 2", "Trust 1"]
    older = first["links"]["older"]
    assert "kind=vcs" in older and "limit=2" in older and first["links"]["newer"] is None
    second = body(client.get(older[older.index("/api/") :]))
    assert [s["organisation"]["name"] for s in second["items"]] == ["Trust 0"]
    assert second["links"]["older"] is None and second["links"]["newer"]


def test_a_target_gives_its_record_and_the_public_statements_sent_to_it(client):
    p = signed_statement()
    target = make_target("HM Treasury")
    send(p, target)
    record = body(client.get(f"/api/v1/targets/{target.slug}"))
    assert record["record"]["sent"] == 1 and record["record"]["response_rate"] == 0
    assert record["submissions"][0]["statement"]["slug"] == p.statement.slug
    assert [t["slug"] for t in body(client.get("/api/v1/targets"))["items"]] == [target.slug]


def test_an_organisations_profile_has_its_org_id_identifier_and_no_contact_email(client):
    organisation = make_organisation(
        "Riverside Trust", charity_number="1234567", contact_email="hello@riverside.example.org"
    )
    profile = client.get(f"/api/v1/organisations/{organisation.slug}")
    assert body(profile)["identifier"] == "GB-CHC-1234567"
    assert "hello@riverside.example.org" not in profile.get_data(as_text=True)


def test_errors_are_problem_details(client):
    for path, status in (("/api/v1/statements/nothing-here", 404), ("/api/v1/no-such-thing", 404)):
        response = client.get(path)
        assert response.status_code == status and response.mimetype == PROBLEM
        assert body(response)["status"] == status and body(response)["detail"]
    refused = client.post("/api/v1/statements")
    assert refused.status_code == 405 and refused.mimetype == PROBLEM and "GET" in refused.headers["Allow"]
    invalid = client.get("/api/v1/statements?stage=draft")
    assert invalid.status_code == 400 and body(invalid)["errors"][0]["name"] == "stage"
    assert client.get("/api/v1/statements?topic=%00").status_code == 400


def test_a_revalidation_gets_304_and_anyone_may_read_from_a_browser(client):
    p = open_statement()
    path = f"/api/v1/statements/{p.statement.slug}/counts"
    first = client.get(path)
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    organisation, signatory = signing_organisation("New Trust")
    confirmed(p.statement, organisation, signatory)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_the_api_is_rate_limited_per_address_with_a_problem(app, client):
    app.config["CAMPAIGNS_API_RATE"] = "2 per minute"
    try:
        assert client.get("/api/v1/").status_code == 200
        assert client.get("/api/v1/").status_code == 200
        refused = client.get("/api/v1/")
        assert refused.status_code == 429 and refused.mimetype == PROBLEM and "Retry-After" in refused.headers
    finally:
        app.config["CAMPAIGNS_API_RATE"] = "120 per minute"


def test_the_documentation_page_lists_every_operation_and_is_linked_from_the_footer(client):
    page = client.get("/api")
    assert page.status_code == 200 and '<h1 class="govuk-heading-l">Common Ground API</h1>' in page.text
    assert "/api/v1/statements/{slug}/signatories" in page.text
    assert "/api/v1/organisations" in page.text and "links.next" in page.text
    assert 'href="/api"' in client.get("/").text


def test_the_organisations_list_is_what_the_directory_shows_paged_by_id_with_no_email_and_no_merged_one(client):
    kept = make_organisation("Kept Trust", contact_email="hello@kept.example.org")
    unverified = make_organisation("New Trust", verified=False)
    gone = make_organisation("Gone Trust")
    gone.merged_into_id = kept.id
    council = make_organisation(
        "Eastshire Council", kind=OrganisationKind.COUNCIL, subtype="county", region="east_of_england"
    )
    db.session.commit()

    everyone = client.get("/api/v1/organisations")
    text = everyone.get_data(as_text=True)
    assert everyone.status_code == 200 and "@" not in text and "Gone Trust" not in text
    listed = body(everyone)
    assert [o["name"] for o in listed["items"]] == ["Kept Trust", "New Trust", "Eastshire Council"]
    assert [o["verified"] for o in listed["items"]] == [True, False, True]
    assert listed["links"]["next"] is None and listed["links"]["html"].endswith("/organisations")
    assert body(client.get(listed["items"][1]["links"]["self"]))["name"] == "New Trust"

    first = body(client.get("/api/v1/organisations?kind=vcs&limit=1"))
    assert [o["name"] for o in first["items"]] == ["Kept Trust"] and first["filters"]["kind"] == "vcs"
    following = first["links"]["next"]
    assert "kind=vcs" in following and "limit=1" in following and f"after={kept.id}" in following
    second = body(client.get(following[following.index("/api/") :]))
    assert [o["name"] for o in second["items"]] == ["New Trust"] and second["links"]["next"] is None
    east = body(client.get("/api/v1/organisations?region=east_of_england"))
    assert [o["slug"] for o in east["items"]] == [council.slug] and east["items"][0]["subtype"] == "county"
    assert unverified.slug in text


def test_the_organisations_list_refuses_a_page_too_big_and_is_cached_read_anywhere_and_rate_limited(app, client):
    unverified = make_organisation("Some Trust", verified=False)
    too_big = client.get("/api/v1/organisations?limit=101")
    assert too_big.status_code == 400 and too_big.mimetype == PROBLEM and body(too_big)["errors"][0]["name"] == "limit"
    assert client.get("/api/v1/organisations?region=atlantis").status_code == 400
    first = client.get("/api/v1/organisations")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["ETag"].startswith('"') and not first.headers["ETag"].startswith("W/")
    assert client.get("/api/v1/organisations", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert body(first)["items"][0]["verified"] is False
    organisation_services.verify(unverified, actor=make_user(platform_admin=True))
    db.session.commit()
    changed = client.get("/api/v1/organisations", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and body(changed)["items"][0]["verified"] is True
    app.config["CAMPAIGNS_API_RATE"] = "1 per minute"
    try:
        assert client.get("/api/v1/organisations?kind=council").status_code == 200
        assert client.get("/api/v1/organisations?kind=council").status_code == 429
    finally:
        app.config["CAMPAIGNS_API_RATE"] = "120 per minute"
