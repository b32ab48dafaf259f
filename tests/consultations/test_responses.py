"""A response is a statement with answers: started from a consultation with every question unanswered, written
answer by answer (merged like any edit), agreed by every co-author, and listed on the consultation once published."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from campaigns.consultations import services
from campaigns.consultations.answers import read_answers
from campaigns.consultations.models import ConsultationResponse
from campaigns.database import utcnow
from campaigns.errors import PermissionDenied
from campaigns.extensions import db
from campaigns.statements.models import Stage, Statement
from campaigns.templating import format_datetime
from tests.consultations.builders import make_consultation, response_partnership
from tests.statements.builders import publish


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def _answer_form(client, p, number: str) -> dict:
    page = client.get(f"/statements/{p.statement.slug}/answers/{number}")
    assert page.status_code == 200
    based_on = re.search(r'name="based_on"[^>]*value="(\d+)"', page.text) or re.search(
        r'value="(\d+)"[^>]*name="based_on"', page.text
    )
    assert based_on is not None
    return {"based_on": based_on[1]}


def test_starting_a_response_makes_a_statement_with_every_question_unanswered(client):
    p = response_partnership()
    client.login(p.council_editor)
    page = client.get(f"/statements/{p.statement.slug}/answers")
    text = _text(page)
    assert page.status_code == 200
    assert "0 of 3 questions answered in revision 1" in text
    assert text.count("Not answered yet") == 3
    assert "Question 1 Answer question 1 Do you agree with the new needs formula?" in text
    body = p.statement.current_revision.body
    assert body.startswith(
        "# Question 1\n\n> Do you agree with the new needs formula?\n\n_No answer yet to question 1._"
    )
    assert p.statement.current_revision.title == "Response to ‘Fair funding review’"


def test_a_response_is_started_through_the_consultations_page(client):
    p = response_partnership()
    consultation = db.session.get(ConsultationResponse, 1).consultation
    client.login(p.charity_editor)
    started = client.post(f"/consultations/{consultation.slug}/respond", data={"organisation": p.charity.id})
    assert started.status_code == 302
    new = db.session.get(ConsultationResponse, 2)
    assert started.headers["Location"] == f"/statements/{new.statement.slug}/answers"
    assert new.statement.lead_organisation_id == p.charity.id


def test_an_organisation_leading_a_response_is_pointed_to_it_and_cannot_start_a_second(client):
    p = response_partnership()
    consultation = db.session.get(ConsultationResponse, 1).consultation
    statements_before = db.session.scalar(sa.select(sa.func.count()).select_from(Statement))
    client.login(p.council_editor)
    offered = _text(client.get(f"/consultations/{consultation.slug}/respond"))
    assert "Council already leads a response to this consultation: Response to ‘Fair funding review’" in offered
    assert "Start the response" not in offered  # its only organisation has one: nothing to start
    refused = client.post(f"/consultations/{consultation.slug}/respond", data={"organisation": p.council.id})
    assert refused.status_code == 409
    assert f"{p.council.name} already leads a response to this consultation. Carry on with that one" in refused.text
    assert f'href="/statements/{p.statement.slug}/answers"' in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationResponse)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == statements_before


def test_two_people_starting_a_response_for_one_organisation_at_once_make_one(client, monkeypatch):
    p = response_partnership()
    consultation = db.session.get(ConsultationResponse, 1).consultation
    # The second request read no response before the first committed its own: the database refuses it.
    monkeypatch.setattr(services.queries, "response_led_by", lambda consultation, organisation_ids: None)
    client.login(p.council_editor)
    refused = client.post(f"/consultations/{consultation.slug}/respond", data={"organisation": p.council.id})
    assert refused.status_code == 409 and "already leads a response to this consultation" in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationResponse)) == 1


def test_a_closed_consultation_takes_no_new_response(client):
    p = response_partnership(closes_at=utcnow() - timedelta(hours=1))
    consultation = db.session.get(ConsultationResponse, 1).consultation
    client.login(p.charity_editor)
    refused = client.post(f"/consultations/{consultation.slug}/respond", data={"organisation": p.charity.id})
    assert refused.status_code == 409
    assert "This consultation has closed" in refused.text
    assert db.session.get(ConsultationResponse, 2) is None


def test_two_organisations_answering_different_questions_at_once_are_merged(client):
    p = response_partnership()
    client.login(p.council_editor)
    council_form = _answer_form(client, p, "1")
    client.login(p.charity_editor)
    charity_form = _answer_form(client, p, "3")  # from the same revision
    saved = client.post(f"/statements/{p.statement.slug}/answers/3", data={**charity_form, "answer": "Yes, a floor."})
    assert saved.status_code == 302
    client.login(p.council_editor)
    merged = client.post(
        f"/statements/{p.statement.slug}/answers/1", data={**council_form, "answer": "We agree.\n\nWith one caveat."}
    )
    assert merged.status_code == 302
    db.session.expire_all()
    answers = read_answers(p.statement.current_revision.body)
    assert answers["1"].text == "We agree.\n\nWith one caveat."
    assert answers["3"].text == "Yes, a floor."
    assert not answers["2"].answered
    page = client.get(f"/statements/{p.statement.slug}/answers")
    assert "revision 3" in _text(page) and "Others had changed other answers meanwhile" in _text(page)
    assert "2 of 3 questions answered" in _text(page)


def test_two_organisations_changing_the_same_answer_conflict_and_nothing_is_lost(client):
    p = response_partnership()
    client.login(p.council_editor)
    council_form = _answer_form(client, p, "2")
    client.login(p.charity_editor)
    charity_form = _answer_form(client, p, "2")
    client.post(f"/statements/{p.statement.slug}/answers/2", data={**charity_form, "answer": "Yes, much more."})
    client.login(p.council_editor)
    conflict = client.post(f"/statements/{p.statement.slug}/answers/2", data={**council_form, "answer": "A little."})
    assert conflict.status_code == 409
    assert "Someone else changed this answer while you were writing yours." in conflict.text
    assert "Yes, much more." in conflict.text and ">A little.</textarea>" in conflict.text
    db.session.expire_all()
    assert read_answers(p.statement.current_revision.body)["2"].text == "Yes, much more."


def test_the_lead_marks_a_question_the_partners_will_not_answer_and_a_co_author_cannot(client):
    p = response_partnership()
    client.login(p.charity_editor)
    assert client.post(f"/statements/{p.statement.slug}/answers/2/not-answering").status_code == 403
    client.login(p.council_editor)
    assert client.post(f"/statements/{p.statement.slug}/answers/2/not-answering").status_code == 302
    page = _text(client.get(f"/statements/{p.statement.slug}/answers"))
    assert "The partners will not answer this question." in page
    assert "1 will not be answered" in page
    response = db.session.get(ConsultationResponse, 1)
    with pytest.raises(PermissionDenied):
        services.set_not_answering(
            response, response.consultation.questions[0], actor=p.charity_editor, not_answering=True
        )


def test_a_response_is_agreed_by_every_co_author_and_listed_on_the_consultation_once_published(client):
    p = response_partnership(closes_at=datetime(2099, 1, 1, tzinfo=UTC))
    publish(p)
    assert p.statement.stage == Stage.OPEN
    consultation = db.session.get(ConsultationResponse, 1).consultation
    listed = _text(client.get("/consultations"))
    assert "Response to ‘Fair funding review’" in listed
    assert "Response to ‘Fair funding review’" in _text(client.get(f"/consultations/{consultation.slug}"))


def test_a_draft_response_is_not_listed_publicly(client):
    p = response_partnership(closes_at=datetime(2099, 1, 1, tzinfo=UTC))
    assert p.statement.stage == Stage.DRAFT
    assert "None published yet" in _text(client.get("/consultations"))


def test_only_the_statements_organisations_see_its_answers(client):
    p = response_partnership()
    outsider_consultation = make_consultation(p.council_editor, p.council, "Another")
    assert outsider_consultation.closes_at > utcnow()
    client.login(p.reviewer_member)
    assert client.get(f"/statements/{p.statement.slug}/answers").status_code == 200
    assert client.get(f"/statements/{p.statement.slug}/answers/1").status_code == 403


def test_the_statement_and_your_statements_show_the_time_left_to_the_closing_date(client):
    p = response_partnership(closes_at=utcnow() + timedelta(days=2, hours=1))
    closes = format_datetime(db.session.get(ConsultationResponse, 1).consultation.closes_at)
    client.login(p.charity_editor)
    workspace = _text(client.get(f"/statements/{p.statement.slug}"))
    mine = _text(client.get("/statements/mine"))
    assert f"which closes {closes} (UK time). Closes in 2 days" in workspace
    assert f"Consultation response: closes {closes} Closes in 2 days" in mine
