"""Email about webhooks. Each function only queues a message."""

from __future__ import annotations

from campaigns.organisations.models import Organisation
from campaigns.organisations.services import admins_of
from campaigns.outbox.services import queue_email
from campaigns.urls import external_url
from campaigns.webhooks.models import WebhookEndpoint


def send_disabled(endpoint: WebhookEndpoint, organisation: Organisation) -> None:
    """Tell the organisation's admins that an endpoint kept failing and was turned off."""
    link = external_url("webhooks.endpoint", slug=organisation.slug, endpoint_id=endpoint.id)
    for admin in admins_of(organisation):
        queue_email(admin.email, "webhook_disabled", endpoint=endpoint, organisation=organisation, link=link)
