"""Sending a statement and tracking the replies in headless Chromium, with axe-core checking every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from campaigns.extensions import db
from campaigns.submissions.models import Submission
from campaigns.submissions.workdays import add_working_days, subtract_working_days, today_in_london
from tests.browser.test_new_user_journey import check_page
from tests.browser.test_statement_journey import sign_in
from tests.submissions.builders import make_target, signed_statement

pytestmark = pytest.mark.browser


def fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_editor_sends_to_two_targets_logs_a_reply_and_sees_the_other_become_overdue(page, backend):
    name = f"{backend}-submission"
    p = signed_statement("Riverside Community Trust", "Moorland Young Carers")
    treasury = make_target("HM Treasury", short_name="HMT")
    dwp = make_target("Department for Work and Pensions", short_name="DWP")
    today = today_in_london()
    sent = subtract_working_days(today, 3)

    page.goto("/sign-in")
    sign_in(page, p.council_editor.email, name)
    page.goto(f"/statements/{p.statement.slug}/submissions")
    check_page(page, f"{name}-01-timeline-empty")
    page.get_by_role("link", name="Record a submission").click()
    page.get_by_role("button", name="Record submission").click()  # nothing chosen: errors, nothing saved
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    check_page(page, f"{name}-02-record-errors")
    page.get_by_label("HM Treasury").check()
    page.get_by_label("Department for Work and Pensions").check()
    fill_date(page, "Date sent", sent)
    page.get_by_label("How was it sent?").select_option("letter")
    page.get_by_label("Reference (optional)").fill("NCC/LGF/2026")
    page.get_by_role("button", name="Record submission").click()
    expect(page.get_by_text("Recorded 2 submissions")).to_be_visible()
    assert page.locator(".govuk-tag", has_text="Awaiting reply").count() == 2
    check_page(page, f"{name}-03-timeline-sent")

    page.get_by_role("link", name="HM Treasury").click()
    check_page(page, f"{name}-04-submission")
    page.get_by_role("link", name="Log a reply").click()
    page.get_by_label("Full reply").check()
    fill_date(page, "Date received", today)
    page.get_by_label("From whom").fill("Chief Secretary to the Treasury")
    page.get_by_label("Summary").fill("The Treasury will look again at multi-year settlements.")
    page.get_by_label("Partly supportive").check()
    page.get_by_label("Show this reply publicly").check()
    check_page(page, f"{name}-05-reply-form")
    page.get_by_role("button", name="Save reply").click()
    expect(page.get_by_text("The reply has been saved.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Response received")).to_be_visible()
    check_page(page, f"{name}-05b-replied")  # with the choice of what a file is

    # Time passes: the Department for Work and Pensions has now had the statement for 25 working days.
    waiting = db.session.query(Submission).filter_by(target_id=dwp.id).one()
    waiting.sent_on = subtract_working_days(today, 25)
    waiting.expected_by = add_working_days(waiting.sent_on, 20)
    db.session.commit()
    page.goto(f"/statements/{p.statement.slug}/submissions")
    expect(page.locator(".govuk-tag", has_text="Overdue")).to_be_visible()
    expect(page.get_by_text("waiting 25 working days")).to_be_visible()
    check_page(page, f"{name}-06-timeline-overdue")

    page.goto(f"/organisations/{p.council.slug}/submissions?show=overdue")
    expect(page.get_by_role("cell", name="DWP")).to_be_visible()
    assert page.get_by_role("cell", name="HMT").count() == 0
    check_page(page, f"{name}-07-dashboard")

    page.goto(f"/statements/{p.statement.slug}/submissions/{waiting.id}/pack")
    expect(page.get_by_text("Moorland Young Carers")).to_be_visible()
    check_page(page, f"{name}-08-pack")

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"/targets/{treasury.slug}")
    expect(page.get_by_text("100% (1 of 1 answered)")).to_be_visible()
    expect(page.get_by_text("The Treasury will look again at multi-year settlements.")).to_be_visible()
    check_page(page, f"{name}-09-target-public")
    page.goto(f"/s/{p.statement.slug}")
    expect(page.get_by_role("heading", name="Where it was sent")).to_be_visible()
    check_page(page, f"{name}-10-statement-public")
    assert today - sent < timedelta(days=10)
