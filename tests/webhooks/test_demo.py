"""The README's walk-through: `flask webhook-receiver` gives the demo's lead council an endpoint at a receiver on this
machine (once, however often it is run), and a closed demo statement reaches it signed."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.statements import signoff
from campaigns.statements.queries import statement_by_slug
from campaigns.webhooks.demo import demo_endpoint
from campaigns.webhooks.models import WebhookEndpoint, WebhookEvent
from tests.support.receiver import Receiver


def test_the_demo_council_gets_one_endpoint_and_a_closed_statement_reaches_it(app, deliver):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    receiver = Receiver()
    receiver.start()
    try:
        endpoint = demo_endpoint(receiver.url)
        assert demo_endpoint(receiver.url).id == endpoint.id
        db.session.commit()
        assert set(endpoint.events) == {event.value for event in WebhookEvent}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookEndpoint)) == 1
        deliver()
        statement = statement_by_slug("fair-funding-for-rural-councils")
        editor = db.session.scalar(sa.select(User).where(User.email == "sam.patel@northshire.example.org"))
        signoff.close(statement, actor=editor)
        db.session.commit()
        deliver()
    finally:
        receiver.stop()
    [received] = receiver.received
    assert received.payload["type"] == "statement.closed" and received.signed_with(endpoint.secret)
