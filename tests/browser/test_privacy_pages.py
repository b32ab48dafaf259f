"""The personal-data pages in headless Chromium, each checked by axe-core for WCAG 2.2 AA: a signer changes who may
contact them from their receipt's link, and a platform admin reads the records for the data protection officer."""

import pytest
from playwright.sync_api import expect

from campaigns.signatures.emails import signature_token
from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD, make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement

pytestmark = pytest.mark.browser


def test_a_signer_changes_who_may_contact_them_and_an_admin_reads_the_records(page, backend):
    p = open_statement()
    signature = confirmed(p.statement, make_organisation("Hillside Trust"), may_contact=frozenset({p.charity.id}))
    name = f"{backend}-privacy"

    page.goto(f"/s/{p.statement.slug}/contacts/{signature_token(signature, 'contacts')}")
    expect(page.get_by_role("heading", name="Who may contact you")).to_be_visible()
    charity = page.get_by_label(f"{p.charity.name} may contact me by email")
    council = page.get_by_label(f"{p.council.name} may contact me by email")
    expect(charity).to_be_checked()
    expect(council).not_to_be_checked()
    check_page(page, f"{name}-01-contacts")
    charity.uncheck()
    council.check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_text("Your choices are saved. They apply from now on.")).to_be_visible()
    expect(page.get_by_label(f"{p.council.name} may contact me by email")).to_be_checked()
    expect(page.get_by_label(f"{p.charity.name} may contact me by email")).not_to_be_checked()
    check_page(page, f"{name}-02-saved")

    admin = make_user(platform_admin=True)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/privacy")
    expect(page.get_by_role("heading", name="Answering a subject access request")).to_be_visible()
    check_page(page, f"{name}-03-records")
    page.goto("/privacy")
    expect(page.get_by_role("heading", name="How long we keep it")).to_be_visible()
    check_page(page, f"{name}-04-notice")
