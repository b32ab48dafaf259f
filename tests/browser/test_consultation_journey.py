"""A consultation response in headless Chromium, each page checked by axe-core for WCAG 2.2 AA: a council imports a
consultation from its GOV.UK content item and pastes its questions; it and a charity answer two questions at once
(merged), both sign off, the pack comes out as PDF and Word with the questions in order, it is recorded as sent,
and the government's response is recorded and shown on the public page."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from campaigns.extensions import db
from campaigns.statements.models import ParticipantRole, Statement
from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD
from tests.statements.builders import join, partnership, publish
from tests.support.browser import watch_for_errors

pytestmark = pytest.mark.browser

CONTENT_ITEM = Path(__file__).resolve().parents[1] / "consultations" / "content_items" / "open_consultation.json"
QUESTIONS = """Chapter 1: Need

Question 1: Do you agree with the new needs formula?

Question 2: Should deprivation count for more?

Question 3: Should there be a funding floor?
"""


def _sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_two_organisations_answer_a_consultation_together_and_send_it(page, browser, live_server, backend):
    name = f"{backend}-consultation"
    p = partnership()
    _sign_in(page, p.council_editor.email)
    page.goto("/consultations")
    check_page(page, f"{name}-01-list")
    page.get_by_role("link", name="Add a consultation from GOV.UK").click()
    page.get_by_label("The page’s content item").fill(CONTENT_ITEM.read_text())
    page.get_by_role("button", name="Read the details").click()
    expect(page.get_by_role("heading", name="Check the consultation’s details")).to_be_visible()
    check_page(page, f"{name}-02-check")
    # The closing date is in the past by the time this runs in some years: move it on, as a person would correct it.
    page.locator("#closes_on-year").fill("2099")
    page.get_by_role("button", name="Save consultation").click()
    page.get_by_label("The questions").fill(QUESTIONS)
    page.get_by_role("button", name="Split into questions").click()
    expect(page.get_by_role("heading", name="3 questions found")).to_be_visible()
    check_page(page, f"{name}-03-split")
    page.get_by_role("button", name="Save these questions").click()
    expect(page.get_by_text("Chapter 1: Need")).to_be_visible()
    check_page(page, f"{name}-04-consultation")
    page.get_by_role("link", name="Start a response").click()
    page.get_by_role("button", name="Start the response").click()
    expect(page.get_by_text("0 of 3 questions answered")).to_be_visible()
    check_page(page, f"{name}-05-answers")

    statement = db.session.scalars(sa.select(Statement).order_by(Statement.id.desc())).first()
    assert statement is not None
    join(
        statement,
        p.charity,
        ParticipantRole.CO_AUTHOR,
        by=p.council_editor,
        admin=p.charity_admin,
    )

    charity = browser.new_context(base_url=live_server).new_page()
    watch_for_errors(charity)
    _sign_in(charity, p.charity_editor.email)
    charity.goto(f"/statements/{statement.slug}/answers/3")
    page.goto(f"/statements/{statement.slug}/answers/1")
    check_page(page, f"{name}-06-answer")
    charity.get_by_label("Your answer").fill("Yes: no council should get less cash than this year.")
    charity.get_by_role("button", name="Save the answer").click()
    expect(charity.get_by_text("1 of 3 questions answered")).to_be_visible()
    page.get_by_label("Your answer").fill("Yes, if it is confirmed for three years.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_text("Others had changed other answers meanwhile")).to_be_visible()
    expect(page.get_by_text("2 of 3 questions answered")).to_be_visible()
    check_page(page, f"{name}-07-merged")

    db.session.expire_all()
    p.statement = db.session.get(Statement, statement.id)
    publish(p)  # both author organisations' signatories approve the one revision; it opens for signatures
    page.reload()
    page.get_by_role("link", name="Record it as sent to the consultation").click()
    check_page(page, f"{name}-08-send")
    page.get_by_role("button", name="Record it as sent").click()
    expect(page.get_by_text("Recorded as sent to the consultation.")).to_be_visible()
    pdf = page.request.get(page.url.split("?")[0] + "/pack.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert text.index("Question 1") < text.index("Question 2") < text.index("Question 3")
    word = page.request.get(f"/statements/{statement.slug}/answers/response.docx")
    paragraphs = [paragraph.text for paragraph in Document(io.BytesIO(word.body())).paragraphs]
    assert paragraphs.index("Question 1") < paragraphs.index("Question 2") < paragraphs.index("Question 3")

    page.goto(f"/statements/{statement.slug}/answers/outcome")
    page.locator("#published_on-day").fill("3")
    page.locator("#published_on-month").fill("3")
    page.locator("#published_on-year").fill("2027")
    page.get_by_label("Summary").fill("The government will keep a funding floor.")
    check_page(page, f"{name}-09-outcome")
    page.get_by_role("button", name="Save the government’s response").click()
    expect(page.get_by_text("The government published its response on 3 March 2027")).to_be_visible()
    reader = browser.new_context(base_url=live_server).new_page()
    watch_for_errors(reader)
    reader.goto("/consultations")
    reader.get_by_role("link", name="Fair Funding Review: local authority funding reform", exact=True).click()
    expect(reader.get_by_text("The government will keep a funding floor.")).to_be_visible()
    check_page(reader, f"{name}-10-public")
