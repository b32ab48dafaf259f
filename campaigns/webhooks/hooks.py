"""Webhooks follow what the other areas announce (their events modules), queueing each event in the same transaction
as the change; and the mail worker delivers them after each batch of email."""

from __future__ import annotations

from typing import Any

from campaigns.mailings.events import update_sent
from campaigns.mailings.models import Mailing
from campaigns.outbox.events import deliver_queues
from campaigns.signatures.events import signature_confirmed, signature_withdrawn
from campaigns.signatures.models import Signature
from campaigns.statements.events import revision_agreed, statement_closed, statement_opened
from campaigns.statements.models import Statement
from campaigns.submissions.events import reply_logged, submission_sent
from campaigns.submissions.models import Response, Submission
from campaigns.webhooks import payloads
from campaigns.webhooks.delivery import deliver_due
from campaigns.webhooks.models import WebhookEvent
from campaigns.webhooks.services import queue_event


@revision_agreed.connect
def _agreed(statement: Statement, **_: Any) -> None:
    queue_event(WebhookEvent.STATEMENT_AGREED, statement, {})


@statement_opened.connect
def _opened(statement: Statement, **_: Any) -> None:
    queue_event(WebhookEvent.STATEMENT_OPENED, statement, {})


@statement_closed.connect
def _closed(statement: Statement, **_: Any) -> None:
    queue_event(WebhookEvent.STATEMENT_CLOSED, statement, {})


@signature_confirmed.connect
def _confirmed(signature: Signature, **_: Any) -> None:
    data = {"signature": payloads.signature_data(signature)}
    queue_event(WebhookEvent.SIGNATURE_CONFIRMED, signature.statement, data)


@signature_withdrawn.connect
def _withdrawn(signature: Signature, **_: Any) -> None:
    data = {"signature": payloads.signature_data(signature)}
    queue_event(WebhookEvent.SIGNATURE_WITHDRAWN, signature.statement, data)


@submission_sent.connect
def _sent(submission: Submission, **_: Any) -> None:
    data = {"submission": payloads.submission_data(submission)}
    queue_event(WebhookEvent.SUBMISSION_SENT, submission.statement, data)


@reply_logged.connect
def _reply(reply: Response, **_: Any) -> None:
    submission = reply.submission
    data = {"submission": payloads.submission_data(submission), "reply": payloads.reply_data(reply)}
    queue_event(WebhookEvent.REPLY_LOGGED, submission.statement, data)


@update_sent.connect
def _update(mailing: Mailing, **_: Any) -> None:
    queue_event(WebhookEvent.UPDATE_SENT, mailing.statement, {"update": payloads.update_data(mailing)})


@deliver_queues.connect
def _deliver(worker: Any, **_: Any) -> int:
    return deliver_due(worker)
