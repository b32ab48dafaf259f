"""The whole co-authoring job in headless Chromium, as a council editor and a VCS admin would do it,
with axe-core checking every page visited for WCAG 2.2 AA."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaigns.extensions import db
from campaigns.statements.models import Revision, Stage, Statement
from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD
from tests.support.browser import watch_for_errors
from tests.support.links import path_of

pytestmark = pytest.mark.browser

BODY = (
    "Councils in Northshire face a funding gap.\n\n"
    "Charities pick up the pieces when services close.\n\n"
    "We ask for a fair, multi-year settlement."
)


def sign_in(page, email: str, name: str) -> None:
    check_page(page, f"{name}-sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def new_user_with_organisation(browser, live_server, deliver, *, name, email, organisation, kind, subtype, prefix):
    """Register, confirm the email, sign in and add an organisation, as a new user does."""
    page = browser.new_context(base_url=live_server).new_page()
    watch_for_errors(page)
    page.goto("/account/register")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    [confirmation] = deliver()
    page.goto(path_of(confirmation.link("/account/confirm/")))
    page.get_by_role("button", name="Confirm my email address").click()
    sign_in(page, email, prefix)
    page.goto("/organisations/new")
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Organisation name").fill(organisation)
    page.get_by_role("radio", name=subtype, exact=True).check()
    page.get_by_label("Region").select_option("north_east")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name=organisation)).to_be_visible()
    return page


def test_a_council_and_a_charity_write_agree_and_publish_a_statement_together(browser, live_server, deliver, backend):
    name = f"{backend}-statement"
    council = new_user_with_organisation(
        browser,
        live_server,
        deliver,
        name="Carla Council",
        email="carla@northshire.example.org",
        organisation="Northshire County Council",
        kind="Council",
        subtype="County council",
        prefix=f"{name}-council",
    )
    charity = new_user_with_organisation(
        browser,
        live_server,
        deliver,
        name="Vic Charity",
        email="vic@foodbank.example.org",
        organisation="Northshire Food Bank",
        kind="Voluntary and community sector organisation",
        subtype="Charity",
        prefix=f"{name}-charity",
    )
    charity.goto("/")
    charity.get_by_role("button", name="Sign out").click()

    council.get_by_role("link", name="Your statements").click()
    check_page(council, f"{name}-01-mine")
    council.get_by_role("button", name="Start a statement").click()
    check_page(council, f"{name}-02-new")
    council.get_by_label("Title").fill("Fund councils fairly")
    council.get_by_label("Summary").fill("Councils and charities ask for fair, long-term funding.")
    council.get_by_label("Local government funding").check()
    council.get_by_label("The statement").fill(BODY)
    council.get_by_label("Asks").fill("Restore the local government grant\nGive three-year settlements")
    council.get_by_role("button", name="Start the statement").click()
    expect(council.get_by_role("heading", name="Fund councils fairly")).to_be_visible()
    check_page(council, f"{name}-03-workspace")
    slug = db.session.scalar(sa.select(Statement.slug))

    council.get_by_role("link", name="Invite organisations").click()
    council.get_by_label("Find an organisation by name").fill("food bank")
    council.get_by_role("button", name="Search").click()
    check_page(council, f"{name}-04-participants")
    council.get_by_role("button", name=re.compile(r"Invite as co-author\s*:\s*Northshire Food Bank")).click()
    expect(council.get_by_text("We have invited Northshire Food Bank")).to_be_visible()
    check_page(council, f"{name}-05-invited")

    [invitation] = deliver()
    assert invitation.recipients == ["vic@foodbank.example.org"]
    # The charity's admin follows the emailed link, signs in, and answers.
    charity.goto(path_of(invitation.link("/invitation")))
    sign_in(charity, "vic@foodbank.example.org", f"{name}-charity-again")
    check_page(charity, f"{name}-06-invitation")
    charity.get_by_label("Yes, take part").check()
    charity.get_by_role("button", name="Send answer").click()
    expect(charity.get_by_text("Northshire Food Bank is now a co-author")).to_be_visible()
    check_page(charity, f"{name}-07-charity-workspace")

    # The charity comments on a paragraph and proposes an amendment.
    charity.get_by_role("link", name=re.compile(r"Comment on this paragraph\s*\(paragraph 2\)")).click()
    check_page(charity, f"{name}-08-comment")
    charity.get_by_label("Your comment").fill("Can we say how many services closed last year?")
    charity.get_by_role("button", name="Add comment").click()
    assert "Can we say how many services closed last year?" in charity.locator("#comment-1").inner_text()
    check_page(charity, f"{name}-09-commented")
    charity.get_by_role("complementary").get_by_role("link", name="Propose an amendment").click()
    check_page(charity, f"{name}-10-amendment-form")
    charity.get_by_label("The statement").fill(
        BODY.replace("when services close.", "when 40 services closed last year.")
    )
    charity.get_by_label("Why make this change?").fill("Evidence makes the point stronger.")
    charity.get_by_role("button", name="Propose the amendment").click()
    check_page(charity, f"{name}-11-amendment")

    # The council accepts it, credited to the charity, and puts the text to agreement.
    emails = deliver()
    proposed = next(
        m for m in emails if m.recipients == ["carla@northshire.example.org"] and "amendment" in m.subject.lower()
    )
    council.goto(path_of(proposed.link("/amendments/")))
    check_page(council, f"{name}-12-amendment-to-decide")
    council.get_by_role("button", name="Accept amendment 1").click()
    check_page(council, f"{name}-13-accepted")
    latest = db.session.scalar(sa.select(Revision).order_by(Revision.number.desc()))
    assert latest.number == 2 and latest.author.name == "Vic Charity" and "40 services" in latest.body
    council.goto(f"/statements/{slug}")
    council.get_by_role("button", name="Propose revision 2 for agreement").click()
    check_page(council, f"{name}-14-proposed")

    for page, who in ((council, "council"), (charity, "charity")):
        page.goto(f"/statements/{slug}")
        page.get_by_role("link", name="Give your organisation’s answer").click()
        check_page(page, f"{name}-15-decide-{who}")
        page.get_by_label("Yes, we agree this text").check()
        page.get_by_role("button", name="Send our answer").click()
    expect(charity.get_by_text("Every co-author has now agreed")).to_be_visible()
    check_page(charity, f"{name}-16-agreed")

    council.goto(f"/statements/{slug}")
    council.get_by_role("button", name="Open for signatures").click()
    expect(council.get_by_role("heading", name="Fund councils fairly")).to_be_visible()
    expect(council.get_by_text("40 services closed last year")).to_be_visible()
    expect(council.get_by_text("Agreed text, revision 2")).to_be_visible()
    check_page(council, f"{name}-17-public")
    # Printed, the public page is a clean letter: no navigation or footer, no link addresses.
    council.emulate_media(media="print")
    expect(council.locator(".govuk-service-navigation")).to_be_hidden()
    expect(council.locator(".govuk-footer")).to_be_hidden()
    after = council.evaluate("getComputedStyle(document.querySelector('.app-letter a'), '::after').content")
    assert after in ("none", "normal")
    council.emulate_media(media="screen")

    reader = browser.new_context(base_url=live_server).new_page()
    watch_for_errors(reader)
    reader.goto("/statements")
    reader.get_by_role("link", name="Fund councils fairly").click()
    expect(reader.get_by_text("Northshire Food Bank")).to_be_visible()
    check_page(reader, f"{name}-18-public-reader")
    assert db.session.scalar(sa.select(Statement.stage)) == Stage.OPEN
    for page in (council, charity, reader):
        page.context.close()
