"""The API's pages for people in headless Chromium, each checked by axe-core for WCAG 2.2 AA: the documentation
(reached from the footer), and an organisation's admin making an API token (after a form sent back with its
errors), copying it from the page that shows it once, and revoking it."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD
from tests.statements.builders import partnership

pytestmark = pytest.mark.browser


def test_an_admin_makes_an_api_token_sees_it_once_and_revokes_it(page, backend):
    p = partnership()
    name = f"{backend}-api"
    page.goto("/")
    page.get_by_role("link", name="API for developers").click()
    expect(page.get_by_role("heading", name="Common Ground API", level=1)).to_be_visible()
    check_page(page, f"{name}-01-documentation")

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(p.charity_admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/organisations/{p.charity.slug}")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    check_page(page, f"{name}-02-none")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("link", name="Enter a name for the token")).to_be_visible()
    check_page(page, f"{name}-03-errors")
    page.get_by_label("Name").fill("CRM sync")
    page.get_by_label("Your statements' submissions and every reply, private ones included").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    expect(page.locator("#api-token")).to_contain_text("cg_")
    check_page(page, f"{name}-04-shown-once")
    page.get_by_role("link", name="Back to").click()
    expect(page.get_by_role("cell", name="Never")).to_be_visible()
    page.get_by_role("button", name="Revoke CRM sync").click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
    check_page(page, f"{name}-05-revoked")
