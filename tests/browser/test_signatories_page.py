"""The public list of signatories, its chart, the share section and the embeddable widget, in headless Chromium.
axe-core checks each page for WCAG 2.2 AA; a CSP violation would show as a console error."""

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures import services
from tests.browser.test_new_user_journey import check_page
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement
from tests.signatures.test_public_list import new_agreed_revision
from tests.support.smtp import free_port

pytestmark = pytest.mark.browser


def test_a_visitor_reads_the_signatories_filters_them_and_finds_the_code_to_share(page, backend):
    p = open_statement()
    slug = p.statement.slug
    confirmed(p.statement, make_organisation("Early Riser Trust"), comment="We signed the first text.")
    new_agreed_revision(p)
    confirmed(p.statement, make_organisation("Westshire Council", kind=OrganisationKind.COUNCIL, region="south_west"))
    confirmed(p.statement, make_organisation("New Community Group", verified=False), comment="Count us in.")
    saved = services.saved_settings(p.statement)
    saved.target = 10
    db.session.commit()
    name = f"{backend}-signatories"

    page.goto(f"/s/{slug}/signatories")
    expect(page.get_by_text("3 organisations have signed: 1 council and 2 VCS organisations.")).to_be_visible()
    chart = page.get_by_role("img", name="Total organisations signed, day by day: 3 in all")
    expect(chart).to_be_visible()
    page.get_by_text("Show the figures as a table").click()
    expect(page.get_by_role("table", name="Organisations signed each day")).to_be_visible()
    expect(page.get_by_text("Signed an earlier version")).to_be_visible()
    check_page(page, f"{name}-01-list")

    page.get_by_label("Kind of organisation").select_option("council")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Westshire Council")).to_be_visible()
    assert page.get_by_role("link", name="New Community Group").count() == 0
    check_page(page, f"{name}-02-filtered")

    page.get_by_label("Search by organisation name").fill("Nobody at all")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No signatories match")).to_be_visible()
    check_page(page, f"{name}-03-no-match")

    page.goto(f"/s/{slug}")
    page.get_by_text("Show the statement on your organisation’s website").click()
    assert (
        page.get_by_label("A badge with the number of organisations that have signed")
        .input_value()
        .startswith("<a href=")
    )
    expect(page.get_by_role("img", name="The badge: 3 organisations")).to_be_visible()
    check_page(page, f"{name}-04-statement-share")

    page.goto(f"/s/{slug}/embed")
    expect(page.get_by_role("link", name="Sign on for your organisation (opens in a new tab)")).to_be_visible()
    check_page(page, f"{name}-05-embed")


@pytest.fixture
def partner(live_server):
    """Another website (its own server, on another port): `partner(path)` opens a page of it framing ours."""
    framed = {"path": "/"}

    def website(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        frame = f'<iframe src="{live_server}{framed["path"]}" title="From Common Ground"></iframe>'
        return [f"<!DOCTYPE html><title>Partner</title><h1>Partner</h1>{frame}".encode()]

    server = make_server("127.0.0.1", free_port(), website)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def show(page, path: str) -> None:
        framed["path"] = path
        page.goto(f"http://127.0.0.1:{server.server_port}/")

    yield show
    server.shutdown()
    thread.join(timeout=5)


def test_a_partner_website_shows_the_widget_in_a_frame_and_no_other_page(page, partner):
    p = open_statement()
    confirmed(p.statement, make_organisation("Food Bank"))
    partner(page, f"/s/{p.statement.slug}/embed")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("1 organisation has signed")).to_be_visible()
    expect(frame.get_by_role("link", name="Sign on for your organisation (opens in a new tab)")).to_be_visible()

    # The statement's own page refuses to be framed.
    with page.expect_console_message(lambda message: "frame-ancestors 'none'" in message.text):
        partner(page, f"/s/{p.statement.slug}")
