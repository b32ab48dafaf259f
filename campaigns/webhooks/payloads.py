"""The JSON body of each event (Standard Webhooks: `type`, `timestamp` and `data`), built from the objects the
services emit. Only what the organisations that own the statement may see: never a signer's email address."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from campaigns.mailings.models import Mailing
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature
from campaigns.statements.models import Statement
from campaigns.submissions.models import Response, Submission
from campaigns.urls import external_url
from campaigns.webhooks.models import WebhookEvent


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "name": organisation.name,
        "url": external_url("organisations.show", slug=organisation.slug),
    }


def statement_data(statement: Statement) -> dict[str, Any]:
    """A statement as every event about it describes it."""
    revision = statement.agreed_revision or statement.current_revision
    return {
        "id": statement.id,
        "slug": statement.slug,
        "title": revision.title if revision else statement.slug,
        "stage": statement.stage.value,
        "url": external_url("statements.public", slug=statement.slug)
        if statement.is_published
        else external_url("statements.workspace", slug=statement.slug),
        "agreed_revision": statement.agreed_revision.number if statement.agreed_revision else None,
        "agreed_at": _time(statement.agreed_at),
        "opened_at": _time(statement.opened_at),
        "closed_at": _time(statement.closed_at),
        "lead_organisation": _organisation(statement.lead_organisation),
    }


def signature_data(signature: Signature) -> dict[str, Any]:
    """A signature: the organisation that signed and when, never the signer's contact details."""
    return {
        "id": signature.id,
        "status": signature.status.value,
        "organisation": _organisation(signature.organisation),
        "listed_publicly": signature.list_publicly,
        "confirmed_at": _time(signature.confirmed_at),
        "withdrawn_at": _time(signature.withdrawn_at),
    }


def submission_data(submission: Submission) -> dict[str, Any]:
    """A submission: where the statement was sent, when, and when a reply is expected."""
    return {
        "id": submission.id,
        "target": {
            "name": submission.target.name,
            "url": external_url("submissions.target", slug=submission.target.slug),
        },
        "channel": submission.channel.value,
        "status": submission.status.value,
        "sent_on": _day(submission.sent_on),
        "expected_by": _day(submission.expected_by),
        "signatories": submission.signatory_total,
    }


def reply_data(reply: Response) -> dict[str, Any]:
    """A reply as logged: its kind, date, sender, stance, summary and whether the public pages show it."""
    return {
        "id": reply.id,
        "kind": reply.kind.value,
        "received_on": _day(reply.received_on),
        "from": reply.from_whom,
        "stance": reply.stance.value,
        "summary": reply.summary,
        "public": reply.is_public,
    }


def update_data(mailing: Mailing) -> dict[str, Any]:
    """An email update that has started going out: its subject and how many it goes to."""
    return {
        "id": mailing.id,
        "subject": mailing.subject,
        "recipients": mailing.recipient_count,
        "started_at": _time(mailing.started_at),
    }


def body(event: WebhookEvent, at: datetime, data: dict[str, Any]) -> str:
    """The JSON body of one event, compact and with its keys in a fixed order."""
    return json.dumps({"type": event.value, "timestamp": _time(at), "data": data}, separators=(",", ":"))
