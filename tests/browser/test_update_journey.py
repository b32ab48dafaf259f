"""An email update in headless Chromium: compose, preview with its audience in words, ask for approval, approve as
the other co-author (the writer is emailed), send, watch the progress bar reach 100%, open the delivered email,
publish it and read it on the public list and its own page; axe-core checks every page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from campaigns.extensions import db
from tests.browser.test_new_user_journey import check_page
from tests.browser.test_statement_journey import sign_in
from tests.mailings.builders import signatories
from tests.mailings.test_sending import updates
from tests.support.browser import AXE_TAGS, watch_for_errors

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, user, name):
    page = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    watch_for_errors(page)
    page.goto("/sign-in")
    sign_in(page, user.email, name)
    return page


def test_an_update_is_written_approved_sent_and_delivered(browser, live_server, deliver, backend):
    s = signatories(3)
    slug = s.p.statement.slug
    db.session.commit()
    name = f"{backend}-update"

    editor = signed_in(browser, live_server, s.p.council_editor, f"{name}-01")
    editor.goto(f"/statements/{slug}/updates")
    check_page(editor, f"{name}-02-history-empty")
    editor.get_by_role("link", name="Write an update").click()
    editor.get_by_role("button", name="Save and preview").click()
    expect(editor.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(editor, f"{name}-03-compose-errors")
    editor.get_by_label("Subject").fill("We met the minister, ((name))")
    editor.get_by_label("The update").fill("Dear ((name)),\n\nThank you for signing for **((organisation))**.")
    editor.get_by_role("button", name="Save and preview").click()
    audience = "Every signatory who asked for updates: 3 people"
    expect(editor.get_by_text(audience).first).to_be_visible()
    expect(editor.get_by_role("heading", level=1)).to_have_text("We met the minister, signatory")
    check_page(editor, f"{name}-04-preview")
    editor.get_by_role("link", name="See who they are").click()
    expect(editor.get_by_role("cell", name="Signing Trust 1", exact=True)).to_be_visible()
    check_page(editor, f"{name}-04b-who-will-get-it")
    editor.go_back()
    editor.get_by_role("button", name="Send a test to me").click()
    editor.get_by_role("button", name="Ask for approval").click()
    check_page(editor, f"{name}-05-awaiting-approval")
    preview_url = editor.url

    approver = signed_in(browser, live_server, s.p.charity_signatory, f"{name}-06")
    approver.goto(preview_url)
    expect(approver.get_by_text(audience).first).to_be_visible()
    check_page(approver, f"{name}-07-approve")
    approver.get_by_role("button", name="Approve the update").click()
    expect(approver.get_by_text("You have approved the update")).to_be_visible()
    [approved] = [m for m in deliver() if m.subject.startswith("Your update has been approved")]
    assert approved.recipients == [s.p.council_editor.email]
    assert "Sue Trustee of Northshire Food Bank has approved your update" in approved.text
    writer_email = editor.context.new_page()
    writer_email.set_content(approved.html)
    axe_email(writer_email, f"{name}-07b-writer-email")

    editor.reload()
    # A time to send is asked for only when they choose to send later: a date and a time, UK time.
    expect(editor.get_by_role("group", name="Date (UK time)")).to_be_hidden()
    editor.get_by_label("At a time I choose").check()
    expect(editor.get_by_role("group", name="Date (UK time)")).to_be_visible()
    expect(editor.get_by_role("textbox", name="Time")).to_be_visible()
    editor.get_by_label("Now").check()
    editor.get_by_role("button", name="Send the update to 3 recipients").click()
    expect(editor.get_by_role("heading", name="We met the minister, signatory")).to_be_visible()
    check_page(editor, f"{name}-08-progress")
    assert editor.locator("#progress-bar").get_attribute("value") == "0"

    received = updates(deliver())
    # The page asks for the counts itself (JavaScript), without reloading.
    expect(editor.locator("[data-field=percent]")).to_have_text("100", timeout=15_000)
    assert editor.locator("#progress-bar").get_attribute("value") == "100"
    assert editor.locator("[data-field=sent]").inner_text() == "3"
    check_page(editor, f"{name}-09-progress-done")

    assert {message.recipients[0] for message in received} == s.expected
    email = editor.context.new_page()
    watch_for_errors(email)
    email.set_content(received[0].html)
    expect(email.get_by_text("Thank you for signing for")).to_be_visible()
    axe_email(email, f"{name}-10-email")

    editor.goto(f"/statements/{slug}/updates")
    editor.get_by_role(
        "button", name=re.compile(r"Publish on the public page\W+We met the minister, signatory")
    ).click()
    reader = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    watch_for_errors(reader)
    reader.goto(f"/s/{slug}")
    reader.get_by_role("link", name="All updates on this statement").click()
    check_page(reader, f"{name}-11-public-updates")
    reader.get_by_role("link", name="We met the minister, signatory").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("We met the minister, signatory")
    expect(reader.get_by_text("Thank you for signing for your organisation")).to_be_visible()
    check_page(reader, f"{name}-12-public-update")
    assert "((" not in reader.content()


def axe_email(page, name):
    """An email is not a page of the site (its heading is the subject line), so only axe and a screenshot."""
    page.screenshot(path=f"test-artifacts/{name}.png", full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
