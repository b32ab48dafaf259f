"""The mail worker in this process, delivering to the real SMTP server the tests start."""

from __future__ import annotations

import email
import logging
from collections.abc import Callable
from datetime import timedelta
from email.policy import default as default_policy

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.models import AttemptOutcome, OutboxMessage, OutboxStatus
from campaigns.outbox.transport import Envelope, FileTransport, make_transport
from campaigns.outbox.worker import Worker
from tests.outbox.helpers import (
    RESET_LINK,
    all_messages,
    attempts_for,
    insert_messages,
    make_due,
    queue_password_changed,
    run_worker,
    seconds_between,
    statuses,
)


def test_a_queued_email_arrives_once_with_its_message_id_headers_and_both_parts(app, deliver):
    message = queue_password_changed("ada@example.org", **{"X-Campaign": "spring"})

    [received] = deliver()

    assert received.recipients == ["ada@example.org"]
    assert received.message["To"] == "ada@example.org"
    assert received.message["From"] == "Common Ground <no-reply@commonground.example.org>"
    assert received.subject == "Your Common Ground password has been changed"
    assert received.message_id == message.message_id
    assert received.message["X-Campaign"] == "spring"
    assert RESET_LINK in received.text
    assert f'href="{RESET_LINK}"' in received.html
    assert deliver() == [], "a sent message is not sent again"

    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error is None
    assert message.claimed_by is None
    [attempt] = attempts_for(message)
    assert attempt.outcome == AttemptOutcome.SENT
    assert attempt.smtp_code is None


def test_a_permanent_refusal_fails_the_message_at_once_and_it_is_not_retried(app, deliver):
    message = queue_password_changed("bounce@example.org")

    assert deliver() == []

    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert message.last_error.startswith("550")
    assert "No such user here" in message.last_error
    [attempt] = attempts_for(message)
    assert attempt.outcome == AttemptOutcome.PERMANENT_FAILURE
    assert attempt.smtp_code == 550

    make_due(message)
    assert deliver() == []
    assert message.attempts == 1, "a failed message is never claimed again"
    assert len(attempts_for(message)) == 1


def test_a_refused_recipient_does_not_hold_up_the_rest_of_the_batch(app, deliver):
    first = queue_password_changed("first@example.org")
    bounced = queue_password_changed("bounce-me@example.org")
    delayed = queue_password_changed("tempfail-me@example.org")
    last = queue_password_changed("last@example.org")

    received = deliver()

    assert [r.message_id for r in received] == [first.message_id, last.message_id]
    assert [m.status for m in (first, bounced, delayed, last)] == [
        OutboxStatus.SENT,
        OutboxStatus.FAILED,
        OutboxStatus.QUEUED,
        OutboxStatus.SENT,
    ]


def test_a_temporary_refusal_is_retried_later_waiting_longer_each_time(app, deliver):
    message = queue_password_changed("tempfail@example.org")

    before = utcnow()
    assert deliver() == []
    after = utcnow()

    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 1
    assert message.last_error.startswith("451")
    assert message.claimed_by is None
    # CAMPAIGNS_MAIL_RETRY_SECONDS is 60 in the tests; up to 10% jitter is added.
    assert seconds_between(before, message.next_attempt_at) >= 60
    assert seconds_between(after, message.next_attempt_at) <= 66
    [attempt] = attempts_for(message)
    assert attempt.outcome == AttemptOutcome.TEMPORARY_FAILURE
    assert attempt.smtp_code == 451

    assert deliver() == [], "not retried before its time"
    assert message.attempts == 1

    make_due(message)
    before = utcnow()
    assert deliver() == []
    after = utcnow()

    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 2
    assert seconds_between(before, message.next_attempt_at) >= 120
    assert seconds_between(after, message.next_attempt_at) <= 132
    assert [a.outcome for a in attempts_for(message)] == [AttemptOutcome.TEMPORARY_FAILURE] * 2


def test_a_message_that_keeps_failing_temporarily_fails_for_good_after_the_maximum_attempts(app, deliver, monkeypatch):
    monkeypatch.setitem(app.config, "CAMPAIGNS_MAIL_MAX_ATTEMPTS", 3)
    message = queue_password_changed("tempfail@example.org")

    for _ in range(3):
        make_due(message)
        assert deliver() == []

    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert message.last_error.startswith("451")
    assert [a.outcome for a in attempts_for(message)] == [AttemptOutcome.TEMPORARY_FAILURE] * 3

    make_due(message)
    assert deliver() == []
    assert message.attempts == 3


def test_a_message_whose_workers_lease_ran_out_is_claimed_again_and_sent(app, deliver):
    [orphan] = insert_messages(
        1,
        status=OutboxStatus.SENDING,
        claimed_by="killed-worker",
        lease_expires_at=utcnow() - timedelta(seconds=1),
    )

    [received] = deliver()

    assert received.message_id == orphan.message_id
    assert orphan.status == OutboxStatus.SENT
    assert orphan.claimed_by is None


def test_a_worker_dying_mid_send_counts_as_an_attempt(app, deliver):
    [orphan] = insert_messages(
        1, status=OutboxStatus.SENDING, claimed_by="killed-worker", lease_expires_at=utcnow() - timedelta(seconds=1)
    )
    deliver()
    # One attempt died with its worker, one succeeded.
    assert (orphan.status, orphan.attempts) == (OutboxStatus.SENT, 2)


def test_a_message_that_keeps_killing_its_workers_fails_in_the_end_instead_of_forever(app, deliver):
    limit = app.config["CAMPAIGNS_MAIL_MAX_ATTEMPTS"]
    [poison] = insert_messages(
        1,
        status=OutboxStatus.SENDING,
        claimed_by="killed-worker",
        attempts=limit - 1,
        lease_expires_at=utcnow() - timedelta(seconds=1),
    )
    assert deliver() == []
    assert poison.status == OutboxStatus.FAILED
    assert poison.attempts == limit
    assert "A worker stopped while sending this message" in poison.last_error
    assert [attempt.outcome.value for attempt in attempts_for(poison)] == ["temporary_failure"]


def test_a_message_another_worker_holds_a_lease_on_is_left_alone(app, deliver):
    [held] = insert_messages(
        1,
        status=OutboxStatus.SENDING,
        claimed_by="busy-worker",
        lease_expires_at=utcnow() + timedelta(minutes=5),
    )

    assert deliver() == []

    assert held.status == OutboxStatus.SENDING
    assert held.claimed_by == "busy-worker"
    assert attempts_for(held) == []


class _AfterFirstSend:
    """The real transport, with something else happening as soon as the first message has gone."""

    def __init__(self, then: Callable[[], None]) -> None:
        self.then: Callable[[], None] | None = then
        self.transport = make_transport()

    def send(self, message: Envelope) -> None:
        self.transport.send(message)
        if self.then is not None:
            self.then, then = None, self.then
            then()

    def close(self) -> None:
        self.transport.close()


def test_stopping_the_worker_hands_the_rest_of_its_batch_back_as_queued(app, smtp_server):
    messages = insert_messages(4)
    worker = Worker(app)
    worker.transport_factory = lambda: _AfterFirstSend(worker.stop)

    run_worker(worker)

    assert [r.message_id for r in smtp_server.messages] == [messages[0].message_id]
    assert statuses() == {
        OutboxStatus.QUEUED: 3,
        OutboxStatus.SENDING: 0,
        OutboxStatus.SENT: 1,
        OutboxStatus.FAILED: 0,
        OutboxStatus.CANCELLED: 0,
    }
    for message in all_messages()[1:]:
        assert message.claimed_by is None
        assert message.lease_expires_at is None
        assert message.attempts == 0
        assert attempts_for(message) == []

    run_worker(Worker(app), once=True)
    assert sorted(r.message_id for r in smtp_server.messages) == sorted(m.message_id for m in messages)


def test_messages_another_worker_claimed_after_a_slow_send_outlasted_the_lease_are_left_to_it(
    app, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "CAMPAIGNS_MAIL_LEASE_SECONDS", 1)
    first, *rest = insert_messages(3)
    rest_ids = [message.id for message in rest]
    # Longer than half the lease, so the worker renews its lease before the next message.
    smtp_server.slow_down(0.6)

    def another_worker_claims_the_rest() -> None:
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(rest_ids))
                .values(claimed_by="other-worker", lease_expires_at=utcnow() + timedelta(minutes=5))
            )

    run_worker(Worker(app, transport_factory=lambda: _AfterFirstSend(another_worker_claims_the_rest)), once=True)

    assert [r.message_id for r in smtp_server.messages] == [first.message_id]
    assert first.status == OutboxStatus.SENT
    for message in rest:
        assert message.status == OutboxStatus.SENDING
        assert message.claimed_by == "other-worker"
        assert attempts_for(message) == []


def test_a_message_that_cannot_be_built_fails_and_the_worker_carries_on(app, deliver):
    # Written before queue_email checked recipients: a line break would smuggle in a header.
    [broken] = insert_messages(1, recipient="someone@example.org\nBcc: victim@example.org")
    [fine] = insert_messages(1)

    [received] = deliver()

    assert received.message_id == fine.message_id
    assert broken.status == OutboxStatus.FAILED
    assert broken.attempts == 1
    assert broken.last_error == "The message cannot be sent as it is: a header contains a line break"
    [attempt] = attempts_for(broken)
    assert attempt.outcome == AttemptOutcome.PERMANENT_FAILURE


def test_an_address_the_connection_cannot_encode_fails_for_good_and_the_next_message_still_goes(app, deliver):
    # Accepted at registration, but non-ASCII before the @ needs SMTPUTF8, which the worker does not speak.
    unencodable = queue_password_changed("jösé@example.org")
    after = queue_password_changed("after@example.org")

    [received] = deliver()

    assert received.message_id == after.message_id
    assert unencodable.status == OutboxStatus.FAILED
    assert unencodable.attempts == 1
    assert unencodable.last_error.startswith("The message cannot be sent as it is")
    assert after.status == OutboxStatus.SENT


def test_without_a_mail_server_each_email_is_written_as_an_eml_file_that_parses(app, tmp_path, caplog):
    message = queue_password_changed("ada@example.org")
    caplog.set_level(logging.INFO, logger="campaigns.outbox")

    run_worker(Worker(app, transport_factory=lambda: FileTransport(str(tmp_path / "outbox"))), once=True)

    [path] = (tmp_path / "outbox").glob("*.eml")
    assert str(path) in caplog.text
    parsed = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert parsed["To"] == "ada@example.org"
    assert parsed["Subject"] == "Your Common Ground password has been changed"
    assert parsed["Message-ID"] == message.message_id
    assert RESET_LINK in parsed.get_body(preferencelist=("plain",)).get_content()
    assert f'href="{RESET_LINK}"' in parsed.get_body(preferencelist=("html",)).get_content()
    assert message.status == OutboxStatus.SENT


def test_an_outbox_folder_that_cannot_be_written_is_a_temporary_failure(app, tmp_path):
    not_a_folder = tmp_path / "outbox"
    not_a_folder.write_text("a file where the folder should be")
    message = queue_password_changed()

    run_worker(Worker(app, transport_factory=lambda: FileTransport(str(not_a_folder))), once=True)

    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 1
    assert message.last_error.startswith(f"Could not write {not_a_folder}/")
    [attempt] = attempts_for(message)
    assert attempt.outcome == AttemptOutcome.TEMPORARY_FAILURE


class _FailingFor:
    """The real transport, except that sending to `recipient` hits a bug (an exception that is no DeliveryError)."""

    def __init__(self, recipient: str) -> None:
        self.recipient = recipient
        self.transport = make_transport()

    def send(self, message: Envelope) -> None:
        if message.recipient == self.recipient:
            raise RuntimeError("a bug in the transport")
        self.transport.send(message)

    def close(self) -> None:
        self.transport.close()


def test_a_bug_while_sending_one_message_is_recorded_and_the_worker_carries_on(app, smtp_server, caplog):
    unlucky = queue_password_changed("unlucky@example.org")
    lucky = queue_password_changed("lucky@example.org")

    run_worker(Worker(app, transport_factory=lambda: _FailingFor("unlucky@example.org")), once=True)

    assert [r.message_id for r in smtp_server.messages] == [lucky.message_id]
    assert unlucky.status == OutboxStatus.QUEUED, "retried later, in case the bug is fixed by then"
    assert unlucky.attempts == 1
    assert unlucky.last_error == "RuntimeError: a bug in the transport"
    assert "Unexpected error sending message" in caplog.text
