"""Demo data: an open consultation (opened a fortnight before today and closing twelve working days after it, so
it is open whatever the hour the demo is loaded) with a joint response in progress, two of its five questions
answered."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.consultations import services
from campaigns.consultations.importing import ConsultationDetails, split_questions
from campaigns.consultations.models import Consultation
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import participation
from campaigns.statements.models import ParticipantRole
from campaigns.submissions.workdays import add_working_days, today_in_london
from campaigns.timezone import LONDON

SLUG = "provisional-local-government-finance-settlement"
QUESTIONS = """Chapter 1: The settlement

Question 1: Do you agree with the proposed approach to distributing the Recovery Grant to councils with the
greatest need and least ability to raise income locally?

Please give your reasons.

Question 2: Do you agree that the funding floor should guarantee every council at least a flat cash settlement?

Chapter 2: Working with the voluntary sector

Question 3: How could the settlement better support councils' partnerships with voluntary and community sector
organisations?

Question 4: What evidence do you have of the effect of multi-year settlements on local services?

Question 5: Do you have any other comments on the proposals?
"""


def _one(model: type, **where: str) -> object:
    return db.session.scalars(sa.select(model).filter_by(**where)).one()


def load_demo_consultations() -> int:
    """Add the demo consultation and its response in progress if they are missing; returns how many were added."""
    if db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == SLUG)) is not None:
        return 0
    sam = _one(User, email="sam.patel@northshire.example.org")
    council = _one(Organisation, name="Northshire County Council")
    today = today_in_london()
    closes_on = add_working_days(today, 12)
    details = ConsultationDetails(
        title="Provisional local government finance settlement",
        department="Ministry of Housing, Communities and Local Government",
        # Opened in the past: 09:30 today would leave it not yet open to anyone loading the demo before then.
        opens_at=datetime.combine(today - timedelta(days=14), time(9, 30), tzinfo=LONDON),
        closes_at=datetime.combine(closes_on, time(23, 59), tzinfo=LONDON),
        link="https://www.gov.uk/government/consultations/provisional-local-government-finance-settlement",
        summary="Views on the provisional settlement for local authorities in England, and how it is distributed.",
        response_email="lgfsettlement@example.gov.uk",
        postal_address="Local Government Finance Settlement Team\n2 Marsham Street\nLondon\nSW1P 4DF",
    )
    assert isinstance(sam, User) and isinstance(council, Organisation)
    consultation = services.add_consultation(details, actor=sam, organisation=council)
    consultation.slug = SLUG
    services.set_questions(consultation, split_questions(QUESTIONS).questions, actor=sam)
    response = services.start_response(consultation, actor=sam, organisation=council, now=utcnow())
    statement = response.statement
    cvs = _one(Organisation, name="Calderbridge CVS")
    chris = _one(User, email="chris.morgan@calderbridge-cvs.example.org")
    assert isinstance(cvs, Organisation) and isinstance(chris, User)
    participant = participation.invite(statement, cvs, ParticipantRole.CO_AUTHOR, actor=sam)
    participation.respond(statement, participant, actor=chris, accept=True)
    questions = {q.number: q for q in consultation.questions}
    revision, _merged = services.save_answer(
        response,
        questions["1"],
        "Yes, in part. Councils with the greatest need and the least ability to raise council tax must come first, "
        "but the grant should be confirmed for three years so that councils and their partners can plan.",
        based_on=statement.latest_revision,
        actor=sam,
    )
    services.save_answer(
        response,
        questions["3"],
        "Ring-fence a share of the settlement for grants to local voluntary and community sector organisations, "
        "agreed with them under a local compact, and give those grants three-year terms.",
        based_on=revision,
        actor=chris,
        acting_for=cvs,
    )
    return 1
