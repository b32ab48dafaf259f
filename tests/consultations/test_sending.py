"""Sending a response: recorded as sent to the consulting department the way the consultation names, as a
submission whose pack is laid out question by question; refused once the consultation has closed."""

import dataclasses
import html
import io
import re
from datetime import timedelta

import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader

from campaigns.consultations.models import Consultation
from campaigns.consultations.response_views import DOCX
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.statements import services as statements
from campaigns.statements.services import Draft
from campaigns.submissions.models import Channel, Submission, Target
from campaigns.submissions.workdays import today_in_london
from tests.consultations.builders import response_partnership
from tests.statements.builders import agree, publish


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def _answer(client, p, number: str, text: str) -> None:
    page = client.get(f"/statements/{p.statement.slug}/answers/{number}").text
    based_on = re.search(r'name="based_on"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="based_on"', page
    )
    assert based_on is not None
    assert (
        client.post(
            f"/statements/{p.statement.slug}/answers/{number}", data={"answer": text, "based_on": based_on[1]}
        ).status_code
        == 302
    )


def _sent_on() -> list[str]:
    today = today_in_london()
    return [str(today.day), str(today.month), str(today.year)]


def test_an_agreed_response_is_recorded_as_sent_and_its_pack_has_the_questions_in_order(client):
    p = response_partnership()
    client.login(p.council_editor)
    _answer(client, p, "3", "A floor of flat cash, for three years.")
    _answer(client, p, "1", "Yes, with multi-year certainty.")
    agree(p)
    sent = client.post(
        f"/statements/{p.statement.slug}/answers/send",
        data={"way": "email", "sent_on": _sent_on(), "reference": "Receipt 42"},
    )
    assert sent.status_code == 302
    submission = db.session.scalars(sa.select(Submission)).one()
    assert sent.headers["Location"] == f"/statements/{p.statement.slug}/submissions/{submission.id}"
    assert submission.channel == Channel.CONSULTATION
    assert submission.target.name == "Ministry of Housing, Communities and Local Government"
    assert submission.notes.endswith("sent by email to fairfunding@example.gov.uk.")
    assert submission.reference == "Receipt 42"

    pack = _text(client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack"))
    one, two, three = (pack.index(f"Question {n}") for n in (1, 2, 3))
    assert one < two < three
    assert "Yes, with multi-year certainty." in pack and "No answer yet to question 2." in pack
    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert text.index("Question 1") < text.index("Question 2") < text.index("Question 3")
    assert "A floor of flat cash, for three years." in " ".join(text.split())


def test_the_consulting_department_in_the_directory_is_the_target(client):
    p = response_partnership()
    department = Target(slug="mhclg", kind="department", name="Ministry of Housing, Communities and Local Government")
    db.session.add(department)
    db.session.commit()
    agree(p)
    client.login(p.council_editor)
    client.post(f"/statements/{p.statement.slug}/answers/send", data={"way": "email", "sent_on": _sent_on()})
    assert db.session.scalars(sa.select(Submission)).one().target_id == department.id


def test_after_closing_a_response_can_no_longer_be_sent_to_the_consultation(client):
    p = response_partnership(closes_at=utcnow() - timedelta(minutes=5))
    agree(p)
    client.login(p.council_editor)
    refused = client.post(f"/statements/{p.statement.slug}/answers/send", data={"way": "email", "sent_on": _sent_on()})
    assert refused.status_code == 409
    assert "the response can no longer be sent to it. It can still be published." in _text(refused)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_after_closing_the_submissions_form_refuses_the_department_too_but_not_other_bodies(client):
    p = response_partnership(closes_at=utcnow() - timedelta(minutes=5))
    department = Target(slug="mhclg", kind="department", name="Ministry of Housing, Communities and Local Government")
    treasury = Target(slug="hm-treasury", kind="department", name="HM Treasury")
    db.session.add_all([department, treasury])
    db.session.commit()
    agree(p)
    client.login(p.council_editor)
    form = {"status": "sent", "channel": "email", "sent_on": _sent_on()}
    page = f"/statements/{p.statement.slug}/submissions/new"
    refused = client.post(page, data={**form, "targets": [str(department.id), str(treasury.id)]})
    assert refused.status_code == 409
    assert "the response can no longer be sent to it. It can still be published." in _text(refused)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
    assert client.post(page, data={**form, "targets": [str(treasury.id)]}).status_code == 302
    assert db.session.scalars(sa.select(Submission)).one().target_id == treasury.id


def test_a_response_not_yet_agreed_cannot_be_sent(client):
    p = response_partnership()
    client.login(p.council_editor)
    refused = client.post(f"/statements/{p.statement.slug}/answers/send", data={"way": "email", "sent_on": _sent_on()})
    assert refused.status_code == 409
    assert "Only an agreed statement can be sent." in _text(refused)


def test_the_word_document_has_the_questions_in_order_and_the_signatories_as_sent(client):
    p = response_partnership()
    client.login(p.council_editor)
    _answer(client, p, "2", "- Weight deprivation more\n- Count rurality too")
    agree(p)
    draft = client.get(f"/statements/{p.statement.slug}/answers/response.docx")
    assert draft.status_code == 200
    assert draft.headers["Content-Type"] == DOCX
    text = _docx_text(draft.data)
    assert text.index("Question 1") < text.index("Question 2") < text.index("Question 3")
    assert "Weight deprivation more" in text and "No answer." in text
    assert "Not yet sent" in text
    client.post(f"/statements/{p.statement.slug}/answers/send", data={"way": "email", "sent_on": _sent_on()})
    sent = _docx_text(client.get(f"/statements/{p.statement.slug}/answers/response.docx").data)
    assert "0 organisations had signed when this was sent on" in sent
    client.login(p.reviewer_member)  # reviewers see what the public sees, not the pack
    assert client.get(f"/statements/{p.statement.slug}/answers/response.docx").status_code == 403


def test_the_word_document_keeps_bold_italic_and_links_from_the_answers(client):
    p = response_partnership()
    client.login(p.council_editor)
    answer = (
        "We want **multi-year** settlements and *fair* funding: see [the review](https://example.gov.uk/review).\n\n"
        "- A floor that is **never** cut"
    )
    _answer(client, p, "1", answer)
    document = Document(io.BytesIO(client.get(f"/statements/{p.statement.slug}/answers/response.docx").data))
    paragraph = next(p for p in document.paragraphs if "settlements" in p.text)
    assert paragraph.text == (
        "We want multi-year settlements and fair funding: see the review (https://example.gov.uk/review)."
    )
    runs = {run.text: run for run in paragraph.runs}
    assert runs["multi-year"].bold and not runs["multi-year"].italic
    assert runs["fair"].italic and not runs["fair"].bold
    assert not runs["We want "].bold and not runs["We want "].italic
    item = next(p for p in document.paragraphs if "A floor" in p.text)
    assert item.style.name == "List Bullet" and item.text == "A floor that is never cut"
    assert [run.text for run in item.runs if run.bold] == ["never"]


def _docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


#: The government's response as its owners record it.
OUTCOME = {
    "published_on": ["3", "3", "2027"],
    "link": "https://www.gov.uk/government/consultations/fair-funding-review/outcome",
    "summary": "The government will consult again on the floor.",
    "ask_1": "partly",
    "ask_2": "rejected",
}


def _published_with_asks():
    p = response_partnership()
    revision = p.statement.current_revision
    asks = ("Restore the local government grant", "Give three-year settlements")
    with_asks = dataclasses.replace(statements.text_of(revision), asks=asks)
    statements.save(
        p.statement, Draft(with_asks, frozenset(revision.topic_values)), based_on=revision, actor=p.council_editor
    )
    db.session.commit()
    publish(p)
    return p


def test_the_owners_record_the_governments_response_and_the_public_page_shows_it(client):
    p = _published_with_asks()
    consultation = db.session.scalars(sa.select(Consultation)).one()
    client.login(p.charity_editor)
    missing = client.post(f"/statements/{p.statement.slug}/answers/outcome", data={**OUTCOME, "ask_2": ""})
    assert missing.status_code == 400
    assert "Say whether this ask was accepted, partly accepted or rejected" in missing.text
    saved = client.post(f"/statements/{p.statement.slug}/answers/outcome", data=OUTCOME)
    assert saved.status_code == 302
    answers = _text(client.get(f"/statements/{p.statement.slug}/answers"))
    assert "The government published its response on 3 March 2027: partly accepted, rejected (2 asks)." in answers
    assert "Write them an update about it" in answers
    client.logout()
    public = _text(client.get(f"/consultations/{consultation.slug}"))
    assert "The government’s response to ‘Response to ‘Fair funding review’’" in public
    assert "Published 3 March 2027" in public
    assert "The government will consult again on the floor." in public
    assert "Restore the local government grant Partly accepted" in public
    assert "Give three-year settlements Rejected" in public


def test_the_update_offered_after_the_governments_response_is_a_draft_saying_what_it_said_to_each_ask(client, deliver):
    p = _published_with_asks()
    client.login(p.charity_editor)
    client.post(f"/statements/{p.statement.slug}/answers/outcome", data=OUTCOME)
    deliver()  # whatever recording the response sent
    drafted = client.post(f"/statements/{p.statement.slug}/answers/outcome/update", follow_redirects=True)
    assert drafted.status_code == 200
    page = html.unescape(drafted.text)
    assert "nothing is sent until you send it" in page
    assert 'value="The government has responded to ‘Fair funding review’"' in page
    assert "The government published its response to the consultation ‘Fair funding review’ on 3 March 2027: " in page
    assert "[read it in full](https://www.gov.uk/government/consultations/fair-funding-review/outcome)." in page
    assert "The government will consult again on the floor." in page
    assert "- **Partly accepted:** Restore the local government grant" in page
    assert "- **Rejected:** Give three-year settlements" in page
    assert deliver() == []  # a draft: nothing goes until its writer sends it
    edit = drafted.request.path
    assert re.fullmatch(rf"/statements/{p.statement.slug}/updates/\d+/edit", edit)
    changed = client.post(
        edit, data={"subject": "Our asks: the verdict", "body": "Mostly no.", "audience": "signatories"}
    )
    assert changed.status_code == 303
    assert "Our asks: the verdict" in client.get(changed.headers["Location"]).text


def test_pressing_write_an_update_twice_opens_the_same_draft(client):
    p = _published_with_asks()
    client.login(p.charity_editor)
    client.post(f"/statements/{p.statement.slug}/answers/outcome", data=OUTCOME)
    first = client.post(f"/statements/{p.statement.slug}/answers/outcome/update")
    again = client.post(f"/statements/{p.statement.slug}/answers/outcome/update")
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    history = client.get(f"/statements/{p.statement.slug}/updates").text
    assert html.unescape(history).count("The government has responded to ‘Fair funding review’") == 1


def test_a_reviewer_cannot_record_the_governments_response(client):
    p = response_partnership()
    publish(p)
    client.login(p.reviewer_member)
    assert client.get(f"/statements/{p.statement.slug}/answers/outcome").status_code == 403
