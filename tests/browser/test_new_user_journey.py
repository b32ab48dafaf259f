"""A new user's whole first journey, in headless Chromium, with axe-core checking every page for WCAG 2.2 AA."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from campaigns.extensions import db
from campaigns.organisations.models import Membership, Role
from tests.factories import PASSWORD
from tests.support.browser import AXE_PAGE_CONTEXT, AXE_PAGE_TAGS, watch_for_errors
from tests.support.links import path_of

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
_axe = Axe()


def check_page(page, name: str) -> None:
    """No accessibility violations, no console errors (a CSP violation is one), and a screenshot to look at."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = _axe.run(page, context=AXE_PAGE_CONTEXT, options={"runOnly": {"type": "tag", "values": AXE_PAGE_TAGS}})
    assert results.violations_count == 0, f"{name}: {page.url}\n{results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    assert page.locator("h1").count() == 1, name


def test_a_new_user_registers_confirms_signs_in_creates_an_organisation_and_invites_a_colleague(
    page, browser, live_server, deliver, backend
):
    page.goto("/")
    check_page(page, f"{backend}-01-home")
    page.get_by_role("link", name="Create an account").first.click()
    check_page(page, f"{backend}-02-register")

    # A first attempt with nothing filled in shows the error summary, which must be accessible too.
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(page, f"{backend}-03-register-errors")

    page.get_by_label("Full name").fill("Jane Smith")
    page.get_by_label("Email address").fill("jane@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_page(page, f"{backend}-04-check-email")

    [confirmation] = deliver()
    page.goto(path_of(confirmation.link("/account/confirm/")))
    check_page(page, f"{backend}-05-confirm")
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    check_page(page, f"{backend}-06-sign-in")

    page.get_by_label("Email address").fill("jane@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    check_page(page, f"{backend}-07-account")

    page.get_by_role("button", name="Add an organisation").click()
    check_page(page, f"{backend}-08-choose-kind")
    page.get_by_label("Council", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    check_page(page, f"{backend}-08-add-organisation")
    page.get_by_label("Organisation name").fill("Northshire County Council")
    page.get_by_label("County council").check()
    page.get_by_label("Region").select_option("north_east")
    page.get_by_label("GSS code (optional, councils only)").fill("E10000901")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Northshire County Council")).to_be_visible()
    check_page(page, f"{backend}-09-organisation")

    page.get_by_role("link", name="Members and invitations").click()
    check_page(page, f"{backend}-10-members")
    page.get_by_role("button", name="Invite someone").click()
    check_page(page, f"{backend}-11-invite")
    page.get_by_label("Their email address").fill("sam@example.org")
    page.get_by_label("Editor").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("We have emailed an invitation to sam@example.org")).to_be_visible()
    check_page(page, f"{backend}-12-invited")

    [invitation] = deliver()
    assert invitation.recipients == ["sam@example.org"]
    colleague_context = browser.new_context(base_url=live_server)
    colleague = colleague_context.new_page()
    watch_for_errors(colleague)
    colleague.goto(path_of(invitation.link("/invitations/")))
    expect(colleague.get_by_text("Jane Smith has invited")).to_be_visible()
    check_page(colleague, f"{backend}-13-invitation")
    colleague.get_by_role("button", name="Create an account and join").click()
    check_page(colleague, f"{backend}-14-join")
    colleague.get_by_label("Full name").fill("Sam Patel")
    colleague.get_by_label("Password", exact=True).fill("another long passphrase for sam")
    colleague.get_by_role("button", name="Create account and join").click()
    expect(colleague.get_by_text("You are an editor of Northshire County Council")).to_be_visible()
    check_page(colleague, f"{backend}-15-joined")
    colleague_context.close()

    roles = db.session.scalars(sa.select(Membership.role).order_by(Membership.id)).all()
    assert roles == [Role.ADMIN, Role.EDITOR]


def test_signing_in_and_adding_an_organisation_work_without_javascript(browser, live_server, app, backend):
    from tests.factories import make_user

    user = make_user(email="nojs@example.org")
    db.session.commit()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/organisations/new")
    page.get_by_label("Voluntary and community sector organisation").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Organisation name").fill("Quiet Village Hall")
    page.get_by_label("Community group").check()
    page.get_by_label("Region").select_option("south_west")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Quiet Village Hall")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"{backend}-nojs-organisation.png"), full_page=True)
    context.close()
