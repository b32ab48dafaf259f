"""Someone signing for "Eastwick Foodbank" is offered the "Eastwick Food Bank" already here, in headless Chromium
with axe checking the question; saying theirs is different adds it, and that is recorded."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db, limiter
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature
from tests.browser.test_new_user_journey import check_page
from tests.factories import make_organisation
from tests.signatures.builders import open_statement

pytestmark = pytest.mark.browser


def fill_in(page, organisation_name: str, email: str) -> None:
    page.get_by_label("Your name").fill("Femi Adeyemi")
    page.get_by_label("Your role").fill("Director")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Organisation name").fill(organisation_name)
    page.get_by_role("button", name="Sign on").click()


def test_a_near_duplicate_name_is_offered_the_organisation_already_here(page, backend):
    p = open_statement()
    existing = make_organisation("Eastwick Food Bank", region="london")
    make_organisation("Westwick Foodbank Ltd", region="south_east")
    name = f"{backend}-near-duplicate"
    organisations = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))

    page.goto(f"/s/{p.statement.slug}/sign")
    fill_in(page, "The Eastwick Foodbank", "femi@eastwick.example.org")
    question = page.get_by_role("group", name="We found organisations with similar names. Is it one of these?")
    expect(question.get_by_label("Eastwick Food Bank")).to_be_visible()
    check_page(page, f"{name}-01-question")
    page.get_by_role("button", name="Sign on").click()  # nothing chosen
    expect(page.get_by_role("alert").get_by_text("Select your organisation")).to_be_visible()
    check_page(page, f"{name}-02-question-error")
    page.get_by_label("Eastwick Food Bank").check()
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert db.session.scalar(sa.select(Signature.organisation_id)) == existing.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == organisations

    limiter.reset()  # another person signing, from another address
    page.goto(f"/s/{p.statement.slug}/sign")
    fill_in(page, "Eastwick Foodbank Trust", "ola@eastwick-trust.example.org")
    page.get_by_label("None of these").check()
    page.get_by_label("What kind of organisation is it?").select_option("vcs:charity")
    page.get_by_label("Where does it work?").select_option("london")
    check_page(page, f"{name}-03-different")
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    added = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Eastwick Foodbank Trust"))
    assert added is not None and added.confirmed_distinct_at is not None
    recorded = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.confirmed_different"))
    assert recorded is not None and "Eastwick Food Bank" in str(recorded.detail)
