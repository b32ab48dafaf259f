"""The consultations' pages: the public list and page, adding one by hand or from a GOV.UK content item, and
pasting its questions, checked before they are saved."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from campaigns.consultations.models import Consultation, Question
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Role
from campaigns.templating import format_datetime
from tests.consultations.builders import make_consultation
from tests.factories import add_member, make_organisation, make_user

ITEMS = Path(__file__).parent / "content_items"


def _editor():
    editor = make_user(name="Sam Patel")
    organisation = make_organisation("Northshire County Council", admin=make_user())
    add_member(organisation, editor, Role.EDITOR)
    return editor, organisation


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def test_the_public_list_shows_open_consultations_soonest_closing_first(client):
    editor, organisation = _editor()
    later = make_consultation(editor, organisation, "Later one", closes_at=datetime(2099, 3, 1, 23, 59, tzinfo=UTC))
    sooner = make_consultation(editor, organisation, "Sooner one", closes_at=utcnow() + timedelta(days=2, hours=3))
    make_consultation(editor, organisation, "Closed one", closes_at=utcnow() - timedelta(hours=1))
    make_consultation(editor, organisation, "Not yet open", opens_at=utcnow() + timedelta(days=1))
    page = client.get("/consultations")
    assert page.status_code == 200
    text = _text(page)
    assert text.index(sooner.title) < text.index(later.title)
    assert "Closed one" not in text and "Not yet open" not in text
    assert f"{format_datetime(sooner.closes_at)} Closes in 2 days" in text
    assert "1 March 2099 at 11:59pm" in text  # UK time: GMT in March


def test_a_consultations_page_shows_its_questions_by_section_and_ways_to_respond_to_anyone(client):
    editor, organisation = _editor()
    consultation = make_consultation(editor, organisation)
    page = client.get(f"/consultations/{consultation.slug}")
    text = _text(page)
    assert page.status_code == 200
    assert "Assessing need Question 1. Do you agree with the new needs formula? Please explain." in text
    assert "Transition Question 3. Should there be a funding floor?" in text
    assert 'href="mailto:fairfunding@example.gov.uk"' in page.text
    assert "12 February 2099 at 11:59pm (Closes in " in text
    assert "Change the details" not in text


def test_an_editor_imports_a_consultation_from_its_content_item_checks_it_and_saves_it(client):
    editor, organisation = _editor()
    client.login(editor)
    pasted = (ITEMS / "open_consultation.json").read_text()
    checking = client.post("/consultations/import", data={"content_item": pasted})
    assert checking.status_code == 200
    assert "Check the consultation’s details" in checking.text
    assert 'action="/consultations/new"' in checking.text  # checked, then saved
    assert 'value="Fair Funding Review: local authority funding reform"' in checking.text
    assert 'value="11:59pm"' in checking.text  # 23:59 UTC in February is 11:59pm UK time
    assert 'value="9:30am"' in checking.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0  # nothing saved yet

    form = {
        "organisation": str(organisation.id),
        "title": "Fair Funding Review: local authority funding reform",
        "department": "Ministry of Housing, Communities and Local Government",
        "link": "https://www.gov.uk/government/consultations/fair-funding-review-local-authority-funding",
        "opens_on": ["20", "11", "2026"],
        "opens_time": "9:30am",
        "closes_on": ["12", "2", "2027"],
        "closes_time": "11:59pm",
        "response_email": "fairfunding@example.gov.uk",
        "postal_address": "2 Marsham Street\nLondon",
    }
    saved = client.post("/consultations/new", data=form)
    consultation = db.session.scalar(sa.select(Consultation))
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/consultations/{consultation.slug}/questions"
    assert consultation.closes_at == datetime(2027, 2, 12, 23, 59, tzinfo=UTC)
    assert consultation.organisation_id == organisation.id


def test_a_paste_that_is_not_a_consultation_is_refused_with_the_reason(client):
    editor, _organisation = _editor()
    client.login(editor)
    refused = client.post("/consultations/import", data={"content_item": (ITEMS / "news_story.json").read_text()})
    assert refused.status_code == 400
    assert "That content item is a news article, not a consultation." in refused.text


def test_a_closing_time_before_the_opening_is_refused_and_nothing_is_saved(client):
    editor, organisation = _editor()
    client.login(editor)
    form = {
        "organisation": str(organisation.id),
        "title": "Backwards",
        "department": "HM Treasury",
        "opens_on": ["20", "11", "2026"],
        "closes_on": ["19", "11", "2026"],
        "closes_time": "5pm",
    }
    refused = client.post("/consultations/new", data=form)
    assert refused.status_code == 400
    assert "The closing date and time must be after the opening date and time." in refused.text
    missing = client.post("/consultations/new", data={**form, "closes_time": ""})
    assert "Enter the closing time" in missing.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_pasted_questions_are_shown_for_checking_then_saved_in_order(client):
    editor, organisation = _editor()
    consultation = make_consultation(editor, organisation, questions=[])
    client.login(editor)
    pasted = "Chapter 2: Need\n\nQ4. Do you agree?\nGive reasons.\n\nExplain your answer.\n\nQ5. Anything else?"
    shown = client.post(f"/consultations/{consultation.slug}/questions", data={"questions": pasted, "split": "y"})
    assert shown.status_code == 200
    assert "2 questions found" in _text(shown)
    assert "Do you agree? Give reasons." in shown.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0

    saved = client.post(f"/consultations/{consultation.slug}/questions", data={"questions": pasted, "save": "y"})
    assert saved.status_code == 302
    db.session.expire_all()
    rows = [(q.number, q.section, q.text, q.guidance) for q in consultation.questions]
    assert rows == [
        ("4", "Chapter 2: Need", "Do you agree? Give reasons.", "Explain your answer."),
        ("5", "Chapter 2: Need", "Anything else?", ""),
    ]


def test_questions_with_one_number_twice_are_not_saved(client):
    editor, organisation = _editor()
    consultation = make_consultation(editor, organisation)
    client.login(editor)
    refused = client.post(
        f"/consultations/{consultation.slug}/questions", data={"questions": "Q1 One?\nQ1 Again?", "save": "y"}
    )
    assert refused.status_code == 400
    assert "More than one question is numbered 1." in refused.text
    db.session.expire_all()
    assert [q.number for q in consultation.questions] == ["1", "2", "3"]


def test_only_the_adding_organisations_editors_and_platform_admins_change_a_consultation(client):
    editor, organisation = _editor()
    consultation = make_consultation(editor, organisation)
    outsider = make_user()
    make_organisation(admin=outsider)
    member = make_user()
    add_member(organisation, member, Role.MEMBER)
    for person in (outsider, member):
        client.login(person)
        assert client.get(f"/consultations/{consultation.slug}/edit").status_code == 403
        assert (
            client.post(f"/consultations/{consultation.slug}/questions", data={"questions": "Q1 x?"}).status_code == 403
        )
    client.login(member)
    assert client.get("/consultations/new").status_code == 403
    client.login(make_user(platform_admin=True))
    assert client.get(f"/consultations/{consultation.slug}/edit").status_code == 200
