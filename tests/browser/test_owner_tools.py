"""A statement's owner in headless Chromium: finds the signatures from the workspace, filters them, hides one
with a reason, and changes the settings (with a mistake first). axe-core checks every page for WCAG 2.2 AA."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.extensions import db
from campaigns.signatures.models import Signature, SignatureStatus
from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD, make_organisation
from tests.signatures.builders import confirmed, open_statement, sign

pytestmark = pytest.mark.browser


def test_an_owner_reviews_the_signatures_hides_one_and_changes_the_settings(page, backend):
    p = open_statement()
    slug = p.statement.slug
    confirmed(p.statement, make_organisation("Riverside Food Bank"), comment="We see the need every day.")
    dubious = confirmed(p.statement, make_organisation("Dubious Holdings", verified=False))
    sign(p.statement, make_organisation("Hillside Tenants"))
    name = f"{backend}-owner"

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(p.council_editor.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/statements/{slug}")
    page.get_by_role("navigation", name="Statement").get_by_role("link", name="Signatures").click()
    expect(page.get_by_text("We see the need every day.")).to_be_visible()
    check_page(page, f"{name}-01-list")

    page.get_by_label("Status").select_option(label="Awaiting confirmation")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Hillside Tenants", exact=True)).to_be_visible()
    assert page.get_by_role("link", name="Riverside Food Bank", exact=True).count() == 0
    check_page(page, f"{name}-02-filtered")

    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_role("link", name="Hide Dubious Holdings’s signature").click()
    check_page(page, f"{name}-03-hide")
    page.get_by_role("button", name="Hide the signature").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(page, f"{name}-04-hide-errors")
    page.get_by_label("Why are you hiding this signature?").fill("The organisation told us it never signed.")
    page.get_by_role("button", name="Hide the signature").click()
    expect(page.get_by_text("Dubious Holdings’s signature has been hidden")).to_be_visible()
    check_page(page, f"{name}-05-hidden")
    db.session.expire_all()
    assert db.session.get(Signature, dubious.id).status == SignatureStatus.HIDDEN

    page.get_by_role("link", name="Change the settings").click()
    check_page(page, f"{name}-06-settings")
    page.locator("#closes_on-day").fill("31")
    page.locator("#closes_on-month").fill("2")
    page.locator("#closes_on-year").fill("2030")
    page.get_by_label("Target number of organisations (optional)").fill("two hundred")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(page, f"{name}-07-settings-errors")
    # The GOV.UK message, on the day box alone, and the summary's link takes them to it with what they typed.
    expect(page.locator("#closes_on-day")).to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#closes_on-month")).not_to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#closes_on-month")).to_have_value("2")
    page.get_by_role("link", name="Closing date must be a real date").click()
    expect(page.locator("#closes_on-day")).to_be_focused()
    page.locator("#closes_on-day").fill("28")
    page.get_by_label("Target number of organisations (optional)").fill("200")
    page.get_by_label("List verified organisations only").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The settings have been saved")).to_be_visible()
    check_page(page, f"{name}-08-settings-saved")
