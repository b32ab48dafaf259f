"""Consultations: the public list and page, adding one by hand or from a GOV.UK content item, its questions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from campaigns.consultations.models import Consultation
from campaigns.consultations.reminders import due_on
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.statements.models import ParticipantRole, Statement
from tests.consultations.builders import make_consultation, reviewer_admin_of
from tests.every_template.tour import as_each, emailed, visit
from tests.every_template.world import ROLES, World
from tests.statements.builders import join
from tests.support.links import path_of

EVERYONE = dict.fromkeys(ROLES, 200)
#: Editors of an organisation add consultations; the adding organisation's editors (and platform admins) keep them.
ADDING = {"anonymous": 302, "member": 403, "newcomer": 403, "lead": 200, "coauthor": 200}
KEEPING = {"anonymous": 302, "outsider": 403, "member": 403, "coauthor": 403, "lead": 200, "admin": 200}
CONTENT_ITEM = Path(__file__).resolve().parents[2] / "consultations" / "content_items" / "open_consultation.json"


def consultations(w: World) -> None:
    consultation = make_consultation(
        w.p.council_editor, w.p.council, "Tour of a consultation", closes_at=utcnow() + timedelta(days=30)
    )
    as_each(w, "/consultations", EVERYONE, "Open consultations")
    as_each(w, f"/consultations/{consultation.slug}", EVERYONE, consultation.title)
    as_each(w, "/consultations/new", ADDING, "Add a consultation")
    visit(w.client("lead"), "/consultations/new", 400, "Add a consultation", method="POST", data={})
    as_each(w, "/consultations/import", ADDING, "Add a consultation from GOV.UK")
    visit(w.client("lead"), "/consultations/import", 400, "Add a consultation from GOV.UK", method="POST", data={})
    pasted = {"content_item": CONTENT_ITEM.read_text()}
    visit(
        w.client("lead"), "/consultations/import", 200, "Check the consultation’s details", method="POST", data=pasted
    )
    as_each(w, f"/consultations/{consultation.slug}/edit", KEEPING, f"Change ‘{consultation.title}’")
    questions = f"/consultations/{consultation.slug}/questions"
    as_each(w, questions, KEEPING, f"Questions of ‘{consultation.title}’")
    split = {"questions": "Q1 Do you agree?\n\nQ2 Why?", "split": "y"}
    visit(w.client("lead"), questions, 200, "Questions of", method="POST", data=split)
    responding(w, consultation)


#: A response's answers: the statement's organisations read them; its editors write them; its lead marks questions.
READING = {"anonymous": 302, "outsider": 404, "reviewer": 200, "coauthor": 200, "lead": 200}
WRITING = {**READING, "reviewer": 403}


def responding(w: World, consultation: Consultation) -> None:
    start = f"/consultations/{consultation.slug}/respond"
    as_each(w, start, {"anonymous": 302, "member": 403, "lead": 200}, f"Respond to ‘{consultation.title}’")
    started = visit(w.client("lead"), start, 302, method="POST", data={"organisation": str(w.p.council.id)})
    answers = path_of(started.headers["Location"])
    slug = answers.split("/")[2]
    statement = db.session.scalar(sa.select(Statement).where(Statement.slug == slug))
    join(statement, w.p.charity, ParticipantRole.CO_AUTHOR, by=w.p.council_editor, admin=w.p.charity_admin)
    join(statement, w.p.reviewer, ParticipantRole.REVIEWER, by=w.p.council_editor, admin=reviewer_admin_of(w.p))
    title = statement.current_revision.title
    as_each(w, answers, READING, title)
    as_each(w, f"{answers}/1", WRITING, "Question 1")
    first = str(statement.current_revision_id)
    visit(w.client("coauthor"), f"{answers}/1", 302, method="POST", data={"answer": "Yes.", "based_on": first})
    # Written from revision 1 too: the same answer changed since, so it comes back with theirs.
    conflict = {"answer": "No.", "based_on": first}
    visit(w.client("lead"), f"{answers}/1", 409, "Question 1", method="POST", data=conflict)
    visit(w.client("lead"), f"{answers}/2/not-answering", 302, method="POST")
    visit(w.client("lead"), answers, heading=title, shows="The partners will not answer this question.")
    # Sending: the pack as a Word document for the co-authors; recording it as sent needs the agreed text first.
    visit(w.client("coauthor"), f"{answers}/response.docx")
    as_each(w, f"{answers}/send", WRITING, "Record the response as sent")
    today = utcnow().date()
    sending = {"way": "email", "sent_on": [str(today.day), str(today.month), str(today.year)]}
    visit(w.client("lead"), f"{answers}/send", 409, "Record the response as sent", method="POST", data=sending)
    # The government's response: the response's editors record it.
    as_each(w, f"{answers}/outcome", WRITING, "The government’s response")
    visit(w.client("lead"), f"{answers}/outcome", 400, "The government’s response", method="POST", data={})
    first = "Record the government’s response first"
    visit(w.client("lead"), f"{answers}/outcome/update", 409, "This cannot be done now", method="POST", shows=first)
    visit(w.client("lead"), "/statements/mine", heading="Your statements", shows="Consultation response: closes")
    # The daily job reminds the co-authors the working day before it closes.
    day = due_on(consultation, 1).isoformat()
    result = current_app.test_cli_runner().invoke(args=["send-consultation-reminders", "--today", day])
    assert result.exit_code == 0, result.output
    emailed(w.p.council_editor.email, "consultation_deadline")


VISITS = [consultations]
