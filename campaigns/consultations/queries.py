"""Reading consultations: the open ones, one by its address, and the published statements responding to them."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import abort

from campaigns.consultations.models import Consultation, ConsultationResponse, Outcome
from campaigns.extensions import db
from campaigns.statements.models import Stage, Statement
from campaigns.submissions.models import Channel, Submission

#: Stages in which a statement's agreed text is public.
PUBLISHED = (Stage.OPEN, Stage.CLOSED)


def consultation_by_slug(slug: str) -> Consultation:
    """The consultation at /consultations/<slug>, or 404."""
    found = db.session.scalar(sa.select(Consultation).where(Consultation.slug == slug))
    if found is None:
        abort(404)
    return found


def open_consultations(now: datetime) -> list[Consultation]:
    """Consultations taking responses at `now`, soonest closing first."""
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.closes_at > now, sa.or_(Consultation.opens_at.is_(None), Consultation.opens_at <= now))
            .order_by(Consultation.closes_at, Consultation.id)
        )
    )


def published_responses(consultations: list[Consultation]) -> dict[int, list[Statement]]:
    """The published statements responding to each consultation, by the consultation's id."""
    if not consultations:
        return {}
    rows = db.session.execute(
        sa.select(ConsultationResponse.consultation_id, Statement)
        .join(Statement, Statement.id == ConsultationResponse.statement_id)
        .where(
            ConsultationResponse.consultation_id.in_([c.id for c in consultations]),
            Statement.stage.in_(PUBLISHED),
        )
        .order_by(Statement.opened_at, Statement.id)
        .options(sa.orm.joinedload(Statement.agreed_revision))
    ).all()
    found: dict[int, list[Statement]] = defaultdict(list)
    for consultation_id, statement in rows:
        found[consultation_id].append(statement)
    return found


def response_to(statement: Statement) -> ConsultationResponse | None:
    """The consultation `statement` responds to (its response record), if it is a response."""
    return db.session.scalar(
        sa.select(ConsultationResponse)
        .where(ConsultationResponse.statement_id == statement.id)
        .options(sa.orm.joinedload(ConsultationResponse.consultation))
    )


def response_led_by(consultation: Consultation, organisation_ids: list[int]) -> ConsultationResponse | None:
    """A response to `consultation` that one of these organisations leads, if there is one."""
    if not organisation_ids:
        return None
    return db.session.scalars(
        sa.select(ConsultationResponse)
        .join(Statement, Statement.id == ConsultationResponse.statement_id)
        .where(
            ConsultationResponse.consultation_id == consultation.id,
            Statement.lead_organisation_id.in_(organisation_ids),
        )
        .order_by(ConsultationResponse.id)
        .limit(1)
    ).first()


def responses_for(statements: list[Statement]) -> dict[int, ConsultationResponse]:
    """The response records of those of `statements` that answer a consultation, by statement id."""
    if not statements:
        return {}
    found = db.session.scalars(
        sa.select(ConsultationResponse)
        .where(ConsultationResponse.statement_id.in_([s.id for s in statements]))
        .options(sa.orm.joinedload(ConsultationResponse.consultation))
    )
    return {response.statement_id: response for response in found}


def sent_to_consultation(statement: Statement) -> Submission | None:
    """The latest submission recording the response as sent to its consultation, if there is one."""
    return db.session.scalars(
        sa.select(Submission)
        .where(Submission.statement_id == statement.id, Submission.channel == Channel.CONSULTATION)
        .order_by(Submission.id.desc())
        .limit(1)
    ).first()


def outcomes_of(consultation: Consultation) -> dict[int, Outcome]:
    """The government responses recorded against the consultation's responses, by statement id."""
    rows = db.session.execute(
        sa.select(ConsultationResponse.statement_id, Outcome)
        .join(Outcome, Outcome.response_id == ConsultationResponse.id)
        .where(ConsultationResponse.consultation_id == consultation.id)
    ).all()
    return {statement_id: outcome for statement_id, outcome in rows}
