"""Recording a back-dated submission and a planned one, and reading their packs, in headless Chromium with axe."""

import io
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from campaigns.submissions.workdays import today_in_london
from tests.browser.test_new_user_journey import check_page
from tests.browser.test_statement_journey import sign_in
from tests.browser.test_submission_journey import fill_date
from tests.submissions.builders import make_target
from tests.submissions.test_frozen_lists import spring_statement

pytestmark = pytest.mark.browser


def pdf_text(page, href: str) -> str:
    """The PDF behind a link, fetched with the browser's own session, as text."""
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.body())).pages)


def test_an_editor_records_a_back_dated_and_a_planned_submission_and_reads_both_packs(page, backend):
    name = f"{backend}-frozen"
    p = spring_statement()
    make_target("HM Treasury", short_name="HMT")
    make_target("Department for Work and Pensions", short_name="DWP")

    page.goto("/sign-in")
    sign_in(page, p.council_editor.email, name)
    page.goto(f"/statements/{p.statement.slug}/submissions/new")
    page.get_by_label("HM Treasury").check()
    fill_date(page, "Date sent", date(2026, 2, 27))  # before the text was agreed on 1 March
    page.get_by_role("button", name="Record submission").click()
    expect(page.get_by_role("alert").get_by_text("when revision 1 was agreed")).to_be_visible()
    check_page(page, f"{name}-01-sent-before-agreed")

    fill_date(page, "Date sent", date(2026, 4, 2))
    page.get_by_role("button", name="Record submission").click()
    expect(page.get_by_text("Recorded 1 submission")).to_be_visible()
    page.get_by_role("link", name="HM Treasury").click()
    expect(page.get_by_text("2 organisations had signed when this was sent on 2 April 2026.")).to_be_visible()
    assert page.get_by_text("Bramley Youth").count() == 0  # signed in May
    check_page(page, f"{name}-02-back-dated")
    pdf_href = page.get_by_role("link", name="Submission pack (PDF)").get_attribute("href")
    page.get_by_role("link", name="Submission pack (print)").click()
    expect(page.get_by_text("Carers Together")).to_be_visible()  # withdrew after 2 April: it had signed
    assert page.get_by_text("Dales Foodbank").count() == 0  # withdrew before
    assert page.get_by_text("Same Day Trust").count() == 0  # withdrew on 2 April itself
    check_page(page, f"{name}-03-back-dated-pack")
    text = pdf_text(page, pdf_href)
    assert "2 organisations had signed when this was sent on 2 April 2026" in text and "Draft" not in text

    page.goto(f"/statements/{p.statement.slug}/submissions/new")
    page.get_by_label("Department for Work and Pensions").check()
    page.get_by_label("No, it is planned").check()
    page.get_by_role("button", name="Record submission").click()
    page.get_by_role("link", name="Department for Work and Pensions").click()
    expect(page.get_by_role("heading", name="Signatories so far")).to_be_visible()
    check_page(page, f"{name}-04-planned")
    pdf_href = page.get_by_role("link", name="draft pack (PDF)").get_attribute("href")
    page.get_by_role("link", name="draft pack (print)").click()
    expect(page.get_by_text("Draft: not yet sent. 2 organisations have signed as of")).to_be_visible()
    expect(page.get_by_text("Bramley Youth")).to_be_visible()
    check_page(page, f"{name}-05-draft-pack")
    assert pdf_text(page, pdf_href).count("Draft: not yet sent. 2 organisations have signed as of") >= 2

    page.go_back()
    fill_date(page, "Date sent", today_in_london())
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_text("frozen as it stood on the date sent")).to_be_visible()
    expect(page.get_by_role("heading", name="Signatories as sent")).to_be_visible()
    check_page(page, f"{name}-06-marked-sent")
