"""Webhooks: an organisation's endpoints, adding one, an endpoint's deliveries and the buttons on it (rotating its
secret among them), for its admins."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.webhooks import services
from campaigns.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.every_template.tour import as_each, emailed, visit
from tests.every_template.world import World

ADMINS = {"anonymous": 302, "outsider": 403, "member": 403, "lead": 200}


def endpoints_and_deliveries(w: World) -> None:
    base = f"/organisations/{w.p.council.slug}/webhooks"
    lead = w.client("lead")
    as_each(w, base, ADMINS, "Webhooks")
    as_each(w, f"{base}/new", ADMINS, "Add a webhook endpoint")
    visit(lead, f"{base}/new", 400, "Add a webhook endpoint", method="POST", data={"url": ""})
    events = [event.value for event in WebhookEvent]
    visit(lead, f"{base}/new", 302, method="POST", data={"url": "http://127.0.0.1:9/hook", "events": events})
    endpoint = db.session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id.desc())).first()
    assert endpoint is not None
    page = f"{base}/{endpoint.id}"
    as_each(w, page, ADMINS, "Webhook endpoint")
    visit(lead, base, heading="Webhooks", shows="http://127.0.0.1:9/hook")
    services.queue_event(WebhookEvent.STATEMENT_CLOSED, w.p.statement, {})
    db.session.commit()
    delivery = db.session.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)).one()
    visit(lead, page, heading="Webhook endpoint", shows=delivery.event_id)
    visit(lead, f"{page}/deliveries/{delivery.id}/send-again", 302, method="POST")
    visit(lead, f"{page}/rotate-secret", 302, method="POST")
    visit(lead, page, heading="Webhook endpoint", shows="signed with the previous secret as well")
    services.disable_failing(endpoint, utcnow())
    db.session.commit()
    emailed(w.p.council_editor.email, "webhook_disabled")
    visit(lead, page, heading="Webhook endpoint", shows="Turn back on")
    visit(lead, f"{page}/enabled", 302, method="POST")
    visit(lead, f"{page}/remove", 302, method="POST")


VISITS = [endpoints_and_deliveries]
