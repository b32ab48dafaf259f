"""The webhooks demo: `flask --app wsgi webhook-receiver` gives Northshire County Council (the demo's lead council) an
endpoint at a receiver on this machine, then runs that receiver, printing each event it gets and whether its
signature checks out. Development only: production refuses endpoints on this machine's own addresses."""

from __future__ import annotations

import hmac
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.webhooks import services
from campaigns.webhooks.models import WebhookEndpoint, WebhookEvent
from campaigns.webhooks.signing import signature

DEMO_ADMIN = "jo.whitfield@northshire.example.org"


def demo_endpoint(url: str) -> WebhookEndpoint:
    """The demo council's endpoint at `url`, added (by its demo admin, for every event) if it has none there yet."""
    admin, organisation = db.session.execute(
        sa.select(User, Organisation)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(User.email == DEMO_ADMIN, Membership.role == Role.ADMIN)
        .limit(1)
    ).one()
    found = db.session.scalar(
        sa.select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == organisation.id, WebhookEndpoint.url == url)
    )
    if found is not None:
        return found
    details = services.EndpointDetails(url, frozenset(WebhookEvent), "The demo receiver on this machine")
    return services.register_endpoint(organisation, details, actor=admin)


def _handler(secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            event_id, timestamp = self.headers["webhook-id"], self.headers["webhook-timestamp"]
            expected = signature(secret, event_id, int(timestamp), body)
            offered = (self.headers.get("webhook-signature") or "").split(" ")
            valid = any(hmac.compare_digest(expected, part) for part in offered)
            fresh = abs(time.time() - int(timestamp)) < 300
            payload: dict[str, Any] = json.loads(body)
            verdict = "signature valid" if valid and fresh else "SIGNATURE NOT VALID"
            click.echo(f"{payload['type']:<20} {event_id}  {verdict}  {payload['data']['statement']['title']}")
            self.send_response(204 if valid else 401)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@click.command("webhook-receiver")
@click.option("--port", default=8765, show_default=True, help="The port to listen on, on 127.0.0.1.")
def receiver_command(port: int) -> None:
    """Run a demo webhook receiver on this machine, registered for the demo's lead council (development only)."""
    if not current_app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"]:
        raise click.ClickException("The demo receiver runs in development only (webhooks to this machine are off).")
    url = f"http://127.0.0.1:{port}/hooks/common-ground"
    try:
        endpoint = demo_endpoint(url)
    except sa.exc.NoResultFound:
        raise click.ClickException("Load the demo data first: flask --app wsgi seed-demo") from None
    secret = endpoint.secret
    db.session.commit()
    click.echo(f"Receiving webhooks for Northshire County Council at {url} (secret {secret[:12]}…).")
    click.echo("Run the worker too (make run does), then close a statement, log a reply or confirm a signature.")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(secret))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
