"""Updates survive a killed worker, and two workers share one without sending a message twice."""

from __future__ import annotations

import signal
from collections import Counter

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.mailings import services
from campaigns.mailings.sample import add_signatories
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from tests.mailings.builders import update
from tests.outbox.test_worker_processes import DEADLINE_SECONDS, wait_until
from tests.signatures.builders import open_statement

pytestmark = pytest.mark.slow


def _sent() -> int:
    """Copies of updates sent so far (the outbox also holds the statement's own emails)."""
    query = sa.select(sa.func.count()).where(
        OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.mailing_id.is_not(None)
    )
    return db.session.scalar(query) or 0


def _sent_update(recipients: int):
    p = open_statement()
    addresses = add_signatories(p.statement, recipients)
    db.session.commit()
    mailing = update(p)
    services.send(mailing, actor=p.council_editor)
    db.session.commit()
    return addresses


def test_a_worker_killed_mid_update_loses_nobody_and_sends_at_most_one_duplicate(app, workers, smtp_server):
    addresses = _sent_update(30)
    workers.settings |= {"CAMPAIGNS_MAIL_BATCH_SIZE": "10", "CAMPAIGNS_MAIL_LEASE_SECONDS": "2"}
    smtp_server.slow_down(0.1)

    killed = workers.start()
    wait_until(lambda: _sent() >= 3, "the first worker has sent some of the update")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=DEADLINE_SECONDS)
    restarted = workers.start()
    wait_until(lambda: _sent() == 30, "every copy of the update is sent")
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(restarted)

    received = [m for m in smtp_server.messages if m.message["List-Unsubscribe"]]
    assert {m.recipients[0] for m in received} == set(addresses)
    by_id = Counter(m.message_id for m in received)
    assert len(by_id) == 30, "each recipient's copy keeps one Message-ID, even when sent twice"
    assert sum(times - 1 for times in by_id.values()) <= 1


def test_two_workers_share_an_update_without_sending_any_copy_twice(app, workers, smtp_server, backend):
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL's FOR UPDATE SKIP LOCKED")
    addresses = _sent_update(200)
    workers.settings["CAMPAIGNS_MAIL_BATCH_SIZE"] = "3"

    racing = [workers.start("--once"), workers.start("--once")]
    for process in racing:
        assert process.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(process)

    received = [m for m in smtp_server.messages if m.message["List-Unsubscribe"]]
    assert Counter(m.recipients[0] for m in received) == Counter(addresses)
    assert _sent() == 200
