"""The worker as operators run it: `flask --app wsgi worker` processes, racing, killed, stopped.

The test's own transaction is always committed before a worker starts and after each look at the
database, so on SQLite it never holds the write lock a worker is waiting for.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.models import AttemptOutcome, DeliveryAttempt, OutboxMessage, OutboxStatus
from tests.conftest import SECRET_KEY
from tests.outbox.helpers import all_messages, attempts_for, insert_messages, seconds_between, statuses
from tests.support.smtp import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: Generous: a worker process needs about a second to start, more on a busy machine.
DEADLINE_SECONDS = 90


class Workers:
    """Starts `flask --app wsgi worker` processes against the test database, logging to files in tmp_path."""

    def __init__(self, database_url: str, tmp_path: Path, mail_port: int) -> None:
        self.tmp_path = tmp_path
        self.instance_path = tmp_path / "instance"
        self.settings: dict[str, str] = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "CAMPAIGNS_INSTANCE_PATH": str(self.instance_path),
            "CAMPAIGNS_MAIL_BATCH_SIZE": "5",
            "CAMPAIGNS_MAIL_LEASE_SECONDS": "60",
            "CAMPAIGNS_MAIL_POLL_SECONDS": "0.05",
            "CAMPAIGNS_MAIL_RETRY_SECONDS": "60",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
        }
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def environment(self) -> dict[str, str]:
        # Nothing of this machine's own settings leaks in: only ours decide where mail goes.
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("CAMPAIGNS_", "MAIL_", "FLASK_")) and name not in ("DATABASE_URL", "SECRET_KEY")
        }
        return inherited | self.settings

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """Commit the test's transaction, then start a worker."""
        db.session.commit()
        log = self.tmp_path / f"worker-{len(self.started) + 1}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *args],
                cwd=ROOT,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.started.append((process, log))
        return process

    def run_once(self) -> str:
        """Run `worker --once` to the end; returns what it printed and logged."""
        process = self.start("--once")
        assert process.wait(timeout=DEADLINE_SECONDS) == 0, self.output(process)
        return self.output(process)

    def output(self, process: subprocess.Popen[bytes]) -> str:
        return next(log for started, log in self.started if started is process).read_text()

    def stop_all(self) -> None:
        for process, _log in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=DEADLINE_SECONDS)


@pytest.fixture
def workers(app: Any, database: Any, smtp_server: Any, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(database.url, tmp_path, smtp_server.port)
    yield started
    started.stop_all()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll the database until `condition` holds, ending the test's transaction after each look."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        done = condition()
        db.session.commit()
        if done:
            return
        assert time.monotonic() < deadline, f"Gave up waiting until {what}"
        time.sleep(0.05)


def count(status: OutboxStatus) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == status)) or 0


def received_ids(smtp_server: Any) -> Counter[str]:
    return Counter(received.message_id for received in smtp_server.messages)


def test_two_workers_racing_send_each_message_exactly_once(app, workers, smtp_server):
    messages = insert_messages(200)
    # Small batches keep both workers claiming at the same time throughout: without FOR UPDATE SKIP LOCKED
    # they claim the same rows within a few batches.
    workers.settings["CAMPAIGNS_MAIL_BATCH_SIZE"] = "2"

    racing = [workers.start("--once"), workers.start("--once")]
    for process in racing:
        assert process.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(process)

    assert statuses()[OutboxStatus.SENT] == 200
    assert received_ids(smtp_server) == Counter({message.message_id: 1 for message in messages})
    attempts = db.session.execute(
        sa.select(DeliveryAttempt.message_id, sa.func.count()).group_by(DeliveryAttempt.message_id)
    ).all()
    assert sorted(attempts) == [(message.id, 1) for message in messages]


def test_a_worker_killed_mid_batch_loses_nothing_and_a_restarted_worker_sends_the_rest(app, workers, smtp_server):
    messages = insert_messages(12)
    workers.settings |= {"CAMPAIGNS_MAIL_BATCH_SIZE": "6", "CAMPAIGNS_MAIL_LEASE_SECONDS": "2"}
    smtp_server.slow_down(0.3)

    killed = workers.start()
    wait_until(lambda: count(OutboxStatus.SENT) >= 2, "the first worker has sent two messages")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=DEADLINE_SECONDS)
    left_claimed = count(OutboxStatus.SENDING)
    db.session.commit()

    restarted = workers.start()
    wait_until(lambda: count(OutboxStatus.SENT) == 12, "every message is sent")
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(restarted)

    assert left_claimed > 0, "the worker was killed holding a lease on part of its batch"
    received = received_ids(smtp_server)
    assert set(received) == {message.message_id for message in messages}
    duplicated = [message_id for message_id, times in received.items() if times > 1]
    assert len(duplicated) <= 1, f"more than the message in flight was sent twice: {received}"
    for message in all_messages():
        assert message.status == OutboxStatus.SENT
        assert [a.outcome for a in attempts_for(message)] == [AttemptOutcome.SENT]


def test_sigterm_finishes_the_message_in_hand_and_hands_back_the_rest_of_the_batch(app, workers, smtp_server):
    messages = insert_messages(6)
    workers.settings |= {"CAMPAIGNS_MAIL_BATCH_SIZE": "6"}
    smtp_server.slow_down(0.5)

    worker = workers.start()
    wait_until(lambda: count(OutboxStatus.SENT) >= 1, "the worker has sent a message")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=DEADLINE_SECONDS) == 0, workers.output(worker)

    sent = [message for message in all_messages() if message.status == OutboxStatus.SENT]
    assert statuses()[OutboxStatus.SENDING] == 0
    assert statuses()[OutboxStatus.QUEUED] == 6 - len(sent)
    assert received_ids(smtp_server) == Counter({message.message_id: 1 for message in sent})
    for message in all_messages():
        if message.status == OutboxStatus.QUEUED:
            assert (message.claimed_by, message.lease_expires_at, message.attempts) == (None, None, 0)
    assert "stopped after" in workers.output(worker)

    smtp_server.slow_down(0)
    workers.run_once()
    assert received_ids(smtp_server) == Counter({message.message_id: 1 for message in messages})


def test_nothing_listening_on_the_mail_port_is_a_temporary_failure(app, workers):
    messages = insert_messages(2)
    workers.settings["MAIL_PORT"] = str(free_port())

    before = utcnow()
    workers.run_once()

    db.session.expire_all()
    for message in messages:
        assert message.status == OutboxStatus.QUEUED
        assert message.attempts == 1
        assert message.last_error.startswith("Could not connect to the mail server")
        assert seconds_between(before, message.next_attempt_at) >= 60
        [attempt] = attempts_for(message)
        assert attempt.outcome == AttemptOutcome.TEMPORARY_FAILURE
        assert attempt.smtp_code is None


class _ConnectionRecorder:
    """An SMTP server that notes which connection each message came over; `closing` recipients get 421."""

    def __init__(self) -> None:
        self.port = free_port()
        self.accepted: list[tuple[str, tuple[str, int]]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("closing"):
            return "421 4.3.2 Service shutting down, closing transmission channel"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.accepted.append((str(message["Message-ID"]), session.peer))
        return "250 Message accepted for delivery"


@pytest.fixture
def recorder() -> Iterator[_ConnectionRecorder]:
    handler = _ConnectionRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def test_each_batch_is_delivered_over_one_smtp_connection(app, workers, recorder):
    messages = insert_messages(7)
    workers.settings |= {"MAIL_PORT": str(recorder.port), "CAMPAIGNS_MAIL_BATCH_SIZE": "4"}

    workers.run_once()

    assert [message_id for message_id, _peer in recorder.accepted] == [m.message_id for m in messages]
    connections = [peer for _message_id, peer in recorder.accepted]
    assert len(set(connections[:4])) == 1
    assert len(set(connections[4:])) == 1
    assert connections[0] != connections[4], "a new batch opens a new connection"


def test_a_server_closing_the_connection_delays_only_the_message_in_hand(app, workers, recorder):
    closing, after = insert_messages(1, recipient="closing@example.org") + insert_messages(1)
    workers.settings["MAIL_PORT"] = str(recorder.port)

    workers.run_once()

    assert [message_id for message_id, _peer in recorder.accepted] == [after.message_id]
    db.session.expire_all()
    assert closing.status == OutboxStatus.QUEUED
    assert closing.last_error.startswith("421")
    assert after.status == OutboxStatus.SENT
    assert after.attempts == 1


def test_without_a_mail_server_the_worker_writes_eml_files_to_the_instance_folder(app, workers):
    [message] = insert_messages(1)
    del workers.settings["MAIL_SERVER"], workers.settings["MAIL_PORT"]

    output = workers.run_once()

    [path] = (workers.instance_path / "outbox").glob("*.eml")
    assert f"email will be written to {workers.instance_path / 'outbox'}/" in output
    assert str(path) in output
    parsed = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert parsed["Message-ID"] == message.message_id
    assert parsed["To"] == message.recipient
    assert message.text_body.strip() in parsed.get_body(preferencelist=("plain",)).get_content()
    db.session.expire_all()
    assert message.status == OutboxStatus.SENT
