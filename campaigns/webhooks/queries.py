"""Reading webhook endpoints and their deliveries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Participant, ParticipantRole, ParticipantStatus, Statement
from campaigns.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

#: Deliveries an endpoint's page lists, newest first.
PAGE_SIZE = 50


def endpoint_count(organisation: Organisation) -> int:
    """How many endpoints the organisation has."""
    return db.session.scalar(sa.select(sa.func.count()).where(WebhookEndpoint.organisation_id == organisation.id)) or 0


def endpoints_of(organisation: Organisation) -> list[WebhookEndpoint]:
    """The organisation's endpoints, oldest first."""
    return list(
        db.session.scalars(
            sa.select(WebhookEndpoint)
            .where(WebhookEndpoint.organisation_id == organisation.id)
            .order_by(WebhookEndpoint.id)
        )
    )


def endpoint_of(organisation: Organisation, endpoint_id: int) -> WebhookEndpoint:
    """The organisation's endpoint with this id, or NotFound (another organisation's is not found either)."""
    endpoint = db.session.scalar(
        sa.select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.organisation_id == organisation.id
        )
    )
    if endpoint is None:
        raise NotFound("We could not find that webhook endpoint.")
    return endpoint


def endpoints_for(statement: Statement) -> list[WebhookEndpoint]:
    """The enabled endpoints of the statement's lead and co-author organisations: who hears of its events."""
    owners = sa.select(Participant.organisation_id).where(
        Participant.statement_id == statement.id,
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.role.in_([ParticipantRole.LEAD, ParticipantRole.CO_AUTHOR]),
    )
    return list(
        db.session.scalars(
            sa.select(WebhookEndpoint)
            .where(WebhookEndpoint.organisation_id.in_(owners), WebhookEndpoint.disabled_at.is_(None))
            .order_by(WebhookEndpoint.id)
        )
    )


def deliveries_of(endpoint: WebhookEndpoint, limit: int = PAGE_SIZE) -> list[WebhookDelivery]:
    """The endpoint's newest deliveries, each with its attempts."""
    return list(
        db.session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .options(selectinload(WebhookDelivery.attempts_made))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def delivery_of(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    """The endpoint's delivery with this id, or NotFound."""
    delivery = db.session.scalar(
        sa.select(WebhookDelivery).where(WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint.id)
    )
    if delivery is None:
        raise NotFound("We could not find that delivery.")
    return delivery


def last_success(endpoint_id: int) -> WebhookAttempt | None:
    """The endpoint's most recent successful attempt, if it has had one."""
    return db.session.scalar(
        sa.select(WebhookAttempt)
        .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookAttempt.succeeded.is_(True))
        .order_by(WebhookAttempt.id.desc())
        .limit(1)
    )
