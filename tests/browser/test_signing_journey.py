"""Signing on in headless Chromium: someone new to Common Ground signs for their VCS organisation from the
statement's public page, confirms from the email, finds it on the public list, then withdraws it.
axe-core checks every page for WCAG 2.2 AA."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_new_user_journey import check_page
from tests.signatures.builders import open_statement
from tests.support.links import path_of

pytestmark = pytest.mark.browser


def test_a_new_user_signs_for_their_vcs_organisation_confirms_and_withdraws(page, deliver, backend):
    p = open_statement()
    slug = p.statement.slug
    deliver()  # the co-authors' mail from setting the statement up
    name = f"{backend}-sign"

    page.goto(f"/s/{slug}")
    check_page(page, f"{name}-01-statement")
    page.get_by_role("link", name="Sign on for your organisation").click()
    check_page(page, f"{name}-02-form")

    # Nothing filled in: the error summary, accessible too.
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(page, f"{name}-03-errors")

    page.get_by_label("Your name").fill("Pat Okafor")
    page.get_by_label("Your role").fill("Chair of Trustees")
    page.get_by_label("Email address").fill("pat@hillside-tenants.example.org")
    page.get_by_label("Organisation name").fill("Hillside Tenants Group")
    page.get_by_label("Public comment (optional)").fill("Our tenants feel this every day.")
    page.get_by_label("Email me updates about this statement").check()
    page.get_by_role("button", name="Sign on").click()

    # The organisation is new here: one more question, with everything typed kept.
    expect(page.get_by_text("is new to Common Ground")).to_be_visible()
    expect(page).to_have_title("One more step, about your organisation: Sign on to this statement – Common Ground")
    expect(page.get_by_role("alert")).to_be_focused()  # read out first, as an error summary would be
    assert page.get_by_label("Your name").input_value() == "Pat Okafor"
    check_page(page, f"{name}-04-new-organisation")
    page.get_by_label("What kind of organisation is it?").select_option("vcs:community_group")
    page.get_by_label("Where does it work?").select_option("london")
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_page(page, f"{name}-05-check-email")

    [confirmation] = deliver()
    assert confirmation.recipients == ["pat@hillside-tenants.example.org"]
    page.goto(path_of(confirmation.link("/confirm/")))
    check_page(page, f"{name}-06-confirm")
    page.get_by_role("button", name="Confirm the signature").click()
    expect(page.get_by_role("heading", name="Signature confirmed")).to_be_visible()
    expect(page.get_by_text("may contact you. You can change that from the link in your receipt.")).to_be_visible()
    check_page(page, f"{name}-07-confirmed")

    page.get_by_role("link", name="See who has signed").click()
    expect(page.get_by_text("Hillside Tenants Group").first).to_be_visible()
    expect(page.get_by_text("Our tenants feel this every day.")).to_be_visible()
    check_page(page, f"{name}-08-signatories")

    [receipt] = deliver()
    page.goto(path_of(receipt.link("/withdraw/")))
    check_page(page, f"{name}-09-withdraw")
    page.get_by_label("Why are you withdrawing? (optional)").fill("Our committee wants to discuss it first.")
    page.get_by_role("button", name="Withdraw the signature").click()
    expect(page.get_by_role("heading", name="Signature withdrawn")).to_be_visible()
    check_page(page, f"{name}-10-withdrawn")

    # The browser kept the list from step 8; it must ask again (a 304 only while nothing changed), not show it.
    page.goto(f"/s/{slug}/signatories")
    assert page.get_by_text("Hillside Tenants Group").count() == 0
    check_page(page, f"{name}-11-signatories-after")
