"""Queueing email: a row written in the caller's transaction, nothing sent until the worker runs."""

from __future__ import annotations

import pytest

from campaigns.database import sqlite_autocommit, utcnow
from campaigns.extensions import db
from campaigns.outbox.models import OutboxStatus
from campaigns.outbox.services import queue_email
from tests.factories import make_user
from tests.outbox.helpers import RESET_LINK, all_messages, attempts_for


def test_queueing_an_email_writes_a_rendered_row_and_sends_nothing(app, smtp_server):
    user = make_user(email="ada@example.org", name="Ada Lovelace")

    queue_email(user.email, "password_changed", user=user, reset_link=RESET_LINK)
    db.session.commit()

    [message] = all_messages()
    assert message.recipient == "ada@example.org"
    assert message.subject == "Your Common Ground password has been changed"
    assert message.text_body.startswith("Hello Ada Lovelace,")
    assert RESET_LINK in message.text_body
    assert "<p>Hello Ada Lovelace,</p>" in message.html_body
    assert f'href="{RESET_LINK}"' in message.html_body
    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 0
    assert message.last_error is None
    assert message.sent_at is None
    assert message.next_attempt_at <= utcnow(), "a new message is due at once"
    assert attempts_for(message) == []
    assert smtp_server.messages == []


def test_each_queued_email_gets_its_own_message_id_at_the_senders_domain(app):
    user = make_user()
    first = queue_email(user.email, "password_changed", user=user, reset_link=RESET_LINK)
    second = queue_email(user.email, "password_changed", user=user, reset_link=RESET_LINK)
    db.session.commit()

    assert first.message_id != second.message_id
    for message in (first, second):
        assert message.message_id.startswith("<")
        assert message.message_id.endswith("@commonground.example.org>")


def test_extra_headers_are_kept_with_the_queued_row(app):
    user = make_user()
    queue_email(user.email, "password_changed", headers={"X-Campaign": "spring"}, user=user, reset_link=RESET_LINK)
    db.session.commit()

    [message] = all_messages()
    assert message.headers == {"X-Campaign": "spring"}


def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(app, deliver):
    user = make_user()
    with sqlite_autocommit(enabled=False):  # the row is written at once: in a transaction, as in a request
        queue_email(user.email, "password_changed", user=user, reset_link=RESET_LINK)
        db.session.rollback()

    assert deliver() == []
    assert all_messages() == []


@pytest.mark.parametrize("recipient", ["someone@example.org\nBcc: victim@example.org", "", "not an address"])
def test_a_recipient_that_is_not_one_address_is_refused_when_queueing(app, recipient):
    user = make_user()

    with pytest.raises(ValueError, match="recipient"):
        queue_email(recipient, "password_changed", user=user, reset_link=RESET_LINK)

    db.session.commit()
    assert all_messages() == []


@pytest.mark.parametrize(
    "headers", [{"X-Campaign": "spring\r\nBcc: victim@example.org"}, {"X Campaign": "spring"}, {"X:Campaign": "spring"}]
)
def test_a_malformed_header_is_refused_when_queueing(app, headers):
    user = make_user()

    with pytest.raises(ValueError, match="header"):
        queue_email(user.email, "password_changed", headers=headers, user=user, reset_link=RESET_LINK)

    db.session.commit()
    assert all_messages() == []
