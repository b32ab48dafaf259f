"""Consultations for tests: added as an editor would add them."""

from __future__ import annotations

from datetime import UTC, datetime

from campaigns.accounts.models import User
from campaigns.consultations import services
from campaigns.consultations.importing import ConsultationDetails, QuestionDraft
from campaigns.consultations.models import Consultation
from campaigns.extensions import db
from campaigns.organisations.models import Organisation

QUESTIONS = [
    QuestionDraft("1", "Do you agree with the new needs formula?", "Assessing need", "Please explain."),
    QuestionDraft("2", "Should deprivation be weighted more heavily?", "Assessing need"),
    QuestionDraft("3", "Should there be a funding floor?", "Transition"),
]


def make_consultation(
    editor: User,
    organisation: Organisation,
    title: str = "Fair funding review",
    *,
    closes_at: datetime = datetime(2027, 2, 12, 23, 59, tzinfo=UTC),
    opens_at: datetime | None = datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    questions: list[QuestionDraft] | None = None,
) -> Consultation:
    details = ConsultationDetails(
        title=title,
        department="Ministry of Housing, Communities and Local Government",
        closes_at=closes_at,
        opens_at=opens_at,
        response_email="fairfunding@example.gov.uk",
    )
    consultation = services.add_consultation(details, actor=editor, organisation=organisation)
    if questions != []:
        services.set_questions(consultation, QUESTIONS if questions is None else questions, actor=editor)
    db.session.commit()
    return consultation
