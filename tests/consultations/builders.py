"""Consultations for tests: added as an editor would add them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.consultations import services
from campaigns.consultations.importing import ConsultationDetails, QuestionDraft
from campaigns.consultations.models import Consultation
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.statements.models import ParticipantRole
from tests.statements.builders import Partnership, join

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
    closes_at: datetime = datetime(2099, 2, 12, 23, 59, tzinfo=UTC),
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


def response_partnership(closes_at: datetime = datetime(2099, 2, 12, 23, 59, tzinfo=UTC)) -> Partnership:
    """A consultation, and a response to it led by a council with a VCS co-author and a reviewer (committed)."""
    from tests.statements.builders import partnership

    p = partnership()
    consultation = make_consultation(p.council_editor, p.council, closes_at=closes_at)
    with clock_at(min(closes_at, datetime(2026, 12, 7, 9, 0, tzinfo=UTC)) - timedelta(days=1)):
        response = services.start_response(consultation, actor=p.council_editor, organisation=p.council, now=utcnow())
    statement = response.statement
    db.session.commit()
    join(statement, p.charity, ParticipantRole.CO_AUTHOR, by=p.council_editor, admin=p.charity_admin)
    join(statement, p.reviewer, ParticipantRole.REVIEWER, by=p.council_editor, admin=reviewer_admin_of(p))
    p.statement = statement
    return p


def reviewer_admin_of(p: Partnership) -> User:
    return db.session.scalar(
        sa.select(User)
        .join(Membership)
        .where(Membership.organisation_id == p.reviewer.id, Membership.role == Role.ADMIN)
    )
