"""Webhooks from `flask --app wsgi worker` processes as operators run them: a worker killed while waiting for the
receiver's answer loses nothing, and sends at most that one delivery twice, with the same webhook-id."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.outbox.models import OutboxStatus
from campaigns.webhooks import services
from campaigns.webhooks.models import WebhookDelivery, WebhookEvent
from campaigns.webhooks.services import EndpointDetails
from tests.outbox.test_worker_processes import DEADLINE_SECONDS, Workers, wait_until
from tests.statements.builders import partnership
from tests.support.receiver import Receiver

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(app: Any, database: Any, smtp_server: Any, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(database.url, tmp_path, smtp_server.port)
    yield started
    started.stop_all()


def sent() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(WebhookDelivery.status == OutboxStatus.SENT)) or 0


def test_a_worker_killed_mid_delivery_loses_no_event_and_sends_at_most_one_twice(app, workers, receiver):
    p = partnership()
    endpoint = services.register_endpoint(
        p.charity, EndpointDetails(receiver.url, frozenset(WebhookEvent)), actor=p.charity_admin
    )
    for _ in range(8):
        services.queue_event(WebhookEvent.STATEMENT_AGREED, p.statement, {})
    db.session.commit()
    event_ids = set(db.session.scalars(sa.select(WebhookDelivery.event_id)))
    workers.settings |= {"CAMPAIGNS_WEBHOOK_LEASE_SECONDS": "2", "CAMPAIGNS_WEBHOOK_BATCH_SIZE": "8"}
    receiver.delay = 0.4

    killed = workers.start()
    wait_until(lambda: sent() >= 2, "the first worker has delivered two webhooks")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=DEADLINE_SECONDS)
    left_claimed = db.session.scalar(sa.select(sa.func.count()).where(WebhookDelivery.status == OutboxStatus.SENDING))
    db.session.commit()

    receiver.delay = 0
    restarted = workers.start()
    wait_until(lambda: sent() == 8, "every webhook is delivered")
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(restarted)

    assert left_claimed, "the worker was killed holding a lease on part of its batch"
    received = Counter(request.id for request in receiver.received)
    assert set(received) == event_ids, "every event arrived"
    twice = [event_id for event_id, times in received.items() if times > 1]
    assert len(twice) <= 1 and all(times <= 2 for times in received.values()), f"more than one duplicate: {received}"
    assert all(request.signed_with(endpoint.secret) for request in receiver.received)
