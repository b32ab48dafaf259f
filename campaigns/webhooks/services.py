"""Webhook endpoints and deliveries: registering, turning off and on, removing, sending a delivery again, and queueing
an event for every endpoint that asked for it, in the transaction of the change that caused it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission, require
from campaigns.outbox.models import OutboxStatus
from campaigns.statements.models import Statement
from campaigns.webhooks import emails, payloads, queries, signing
from campaigns.webhooks.addresses import check_for_registration
from campaigns.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

#: Endpoints an organisation may have at once.
ENDPOINTS_MAX = 10


class NoEvents(DomainError):
    """An endpoint must ask for at least one event."""


@dataclass(frozen=True)
class EndpointDetails:
    url: str
    events: frozenset[WebhookEvent]
    description: str = ""


def allow_private_addresses() -> bool:
    """Whether webhooks may go to loopback, private and link-local addresses (development and tests only)."""
    return bool(current_app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"])


def register_endpoint(organisation: Organisation, details: EndpointDetails, *, actor: User) -> WebhookEndpoint:
    """Add an endpoint for the organisation (its admins only), with a new secret; its address is checked first."""
    require(actor, organisation, Permission.MANAGE_WEBHOOKS)
    if not details.events:
        raise NoEvents("Choose at least one event to send.")
    if queries.endpoint_count(organisation) >= ENDPOINTS_MAX:
        raise Conflict(f"An organisation can have at most {ENDPOINTS_MAX} endpoints: remove one first.")
    url = check_for_registration(details.url, allow_private=allow_private_addresses())
    endpoint = WebhookEndpoint(
        organisation_id=organisation.id,
        url=url,
        description=details.description.strip(),
        events=sorted(event.value for event in details.events),
        secret=signing.new_secret(),
        created_by_id=actor.id,
    )
    db.session.add(endpoint)
    db.session.flush()
    record("webhook.endpoint_added", endpoint, organisation=organisation, url=url, events=endpoint.events, actor=actor)
    return endpoint


def remove_endpoint(endpoint: WebhookEndpoint, organisation: Organisation, *, actor: User) -> None:
    """Remove an endpoint and every delivery it had (its admins only); nothing more is sent to it."""
    require(actor, organisation, Permission.MANAGE_WEBHOOKS)
    record("webhook.endpoint_removed", None, organisation=organisation, url=endpoint.url, actor=actor)
    db.session.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)
    db.session.flush()


def set_enabled(endpoint: WebhookEndpoint, organisation: Organisation, enabled: bool, *, actor: User) -> None:
    """Turn an endpoint off (nothing is queued or sent to it) or back on (after checking its address again)."""
    require(actor, organisation, Permission.MANAGE_WEBHOOKS)
    if enabled == endpoint.is_enabled:
        raise Conflict(f"This endpoint is already {'on' if enabled else 'off'}.")
    if enabled:
        check_for_registration(endpoint.url, allow_private=allow_private_addresses())
        endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since = None, "", None
    else:
        endpoint.disabled_at, endpoint.disabled_reason = utcnow(), f"Turned off by {actor.name}."
    action = "webhook.endpoint_enabled" if enabled else "webhook.endpoint_disabled"
    record(action, endpoint, organisation=organisation, url=endpoint.url, actor=actor)
    db.session.flush()


def rotate_secret(endpoint: WebhookEndpoint, organisation: Organisation, *, actor: User) -> str:
    """Give the endpoint a new signing secret (its admins only) and return it. For the grace period
    (CAMPAIGNS_WEBHOOK_SECRET_GRACE_HOURS) deliveries are signed with the old secret as well, so that the
    receiver can change over without missing one; a secret rotated out earlier stops signing at once."""
    require(actor, organisation, Permission.MANAGE_WEBHOOKS)
    grace = timedelta(hours=current_app.config["CAMPAIGNS_WEBHOOK_SECRET_GRACE_HOURS"])
    endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, utcnow() + grace
    endpoint.secret = signing.new_secret()
    record(
        "webhook.secret_rotated",
        endpoint,
        organisation=organisation,
        url=endpoint.url,
        old_secret_until=endpoint.previous_secret_expires_at.isoformat(),
        actor=actor,
    )
    db.session.flush()
    return endpoint.secret


def send_again(delivery: WebhookDelivery, organisation: Organisation, *, actor: User) -> None:
    """Queue a delivery again, now, with the same id and body (its admins only; the endpoint must be on)."""
    require(actor, organisation, Permission.MANAGE_WEBHOOKS)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.is_enabled:
        raise Conflict("Turn the endpoint back on before sending anything to it again.")
    if delivery.status == OutboxStatus.SENDING:
        raise Conflict("This delivery is being sent right now.")
    delivery.status, delivery.next_attempt_at, delivery.attempts = OutboxStatus.QUEUED, utcnow(), 0
    delivery.claimed_by = delivery.lease_expires_at = None
    record("webhook.sent_again", endpoint, organisation=organisation, event=delivery.event_id, actor=actor)
    db.session.flush()


def queue_event(event: WebhookEvent, statement: Statement, data: dict[str, Any], at: datetime | None = None) -> int:
    """Queue `event` about `statement` for every enabled endpoint, of the statement's lead and co-author
    organisations, that asked for it; one event id for all. Returns how many deliveries were queued."""
    endpoints = [endpoint for endpoint in queries.endpoints_for(statement) if endpoint.wants(event)]
    if not endpoints:
        return 0
    at = at or utcnow()
    body = payloads.body(event, at, {"statement": payloads.statement_data(statement)} | data)
    event_id = signing.new_event_id()
    for endpoint in endpoints:
        db.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id, event_id=event_id, event_type=event.value, body=body, next_attempt_at=at
            )
        )
    db.session.flush()
    return len(endpoints)


def disable_failing(endpoint: WebhookEndpoint, since: datetime) -> None:
    """Turn off an endpoint every attempt at which has failed since `since`, and email its organisation's admins."""
    endpoint.disabled_at = utcnow()
    endpoint.disabled_reason = f"Every delivery failed from {since:%d %B %Y %H:%M} UTC, so it was turned off."
    organisation = db.session.get(Organisation, endpoint.organisation_id)
    assert organisation is not None
    record(
        "webhook.endpoint_disabled", endpoint, organisation=organisation, url=endpoint.url, reason="failing", actor=None
    )
    emails.send_disabled(endpoint, organisation)
    db.session.flush()
