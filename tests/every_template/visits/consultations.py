"""Consultations: the public list and page, adding one by hand or from a GOV.UK content item, its questions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from campaigns.database import utcnow
from tests.consultations.builders import make_consultation
from tests.every_template.tour import as_each, visit
from tests.every_template.world import ROLES, World

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


VISITS = [consultations]
