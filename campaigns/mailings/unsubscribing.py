"""Who gets no more updates: unsubscribing by link, by a mail program's one-click POST or by email, and
addresses suppressed after bounces and complaints. Suppression never touches transactional email."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from campaigns.audit.services import record
from campaigns.database import rows_changed, utcnow
from campaigns.errors import InvalidLink
from campaigns.extensions import db
from campaigns.mailings import emails
from campaigns.mailings.models import Mailing, Suppression, SuppressionReason
from campaigns.outbox import queries as outbox_queries
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.outbox.reports import ReportKind
from campaigns.statements.models import Statement
from campaigns.tokens import read_token

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unsubscribe:
    email: str
    statement: Statement
    mailing_id: int
    #: Copies of updates that were waiting to go to the address, stopped by unsubscribing.
    cancelled: int = 0


def read_unsubscribe(token: str) -> Unsubscribe:
    payload = read_token(emails.UNSUBSCRIBE_PURPOSE, token, None, expired_message="This link has expired.")
    statement = db.session.get(Statement, payload.get("s") or 0)
    if statement is None or not isinstance(payload.get("e"), str):
        raise InvalidLink("This link is not valid.")
    return Unsubscribe(payload["e"], statement, int(payload.get("m") or 0))


def is_suppressed(email: str, statement: Statement | None) -> bool:
    scope: sa.ColumnElement[bool] = Suppression.statement_id.is_(None)
    if statement is not None:
        scope = sa.or_(scope, Suppression.statement_id == statement.id)
    return bool(db.session.scalar(sa.select(sa.exists().where(Suppression.email == email.lower(), scope))))


def unsubscribe(token: str, *, everything: bool = False) -> Unsubscribe:
    """Stop updates about the statement (or, with `everything`, all updates) to the address the link names.

    A link works once for each: a second use is refused, as the address already gets no such updates.
    """
    found = read_unsubscribe(token)
    statement = None if everything else found.statement
    if is_suppressed(found.email, statement):
        raise InvalidLink(
            "This link has already been used: that address gets no more of these updates."
            if not everything
            else "That address already gets no updates from Common Ground."
        )
    mailing = db.session.get(Mailing, found.mailing_id)
    db.session.add(
        Suppression(
            email=found.email,
            statement_id=statement.id if statement else None,
            reason=SuppressionReason.UNSUBSCRIBED,
            mailing_id=mailing.id if mailing else None,
        )
    )
    cancelled = _cancel_waiting(found.email, statement)
    record("mailing.unsubscribed", mailing, scope="all" if everything else "statement", cancelled=cancelled, actor=None)
    db.session.flush()
    return dataclasses.replace(found, cancelled=cancelled)


def _cancel_waiting(email: str, statement: Statement | None) -> int:
    """Stop the copies of updates still waiting to go to `email` (about `statement`, or any). Copies a worker
    has already claimed (at most one batch) may still go."""
    updates = sa.select(Mailing.id)
    if statement is not None:
        updates = updates.where(Mailing.statement_id == statement.id)
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            sa.func.lower(OutboxMessage.recipient) == email.lower(),
            OutboxMessage.status == OutboxStatus.QUEUED,
            OutboxMessage.mailing_id.in_(updates),
        )
        .values(status=OutboxStatus.CANCELLED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def suppress(email: str, mailing_id: int | None, reason: SuppressionReason = SuppressionReason.BOUNCED) -> None:
    """The address gets no more updates of any statement: it bounced for good, or its owner complained."""
    address = email.lower()
    if is_suppressed(address, None):
        return
    db.session.add(Suppression(email=address, statement_id=None, reason=reason, mailing_id=mailing_id))
    db.session.flush()


def after_report(email: str, mailing_id: int | None, kind: ReportKind) -> None:
    """A bounce or complaint about a copy of an update: a hard bounce or a complaint suppresses the address at
    once; soft bounces do once CAMPAIGNS_SOFT_BOUNCE_LIMIT different messages to it have had one."""
    if mailing_id is None:
        return  # a failed password reset says nothing about wanting updates
    if kind == ReportKind.COMPLAINT:
        suppress(email, mailing_id, SuppressionReason.COMPLAINED)
    elif kind == ReportKind.HARD_BOUNCE or _soft_bounces_reached(email):
        suppress(email, mailing_id)


def _soft_bounces_reached(email: str) -> bool:
    return outbox_queries.soft_bounced_messages(email) >= current_app.config["CAMPAIGNS_SOFT_BOUNCE_LIMIT"]


def unsubscribe_by_email(token: str) -> None:
    """An unsubscribe request emailed to CAMPAIGNS_UNSUBSCRIBE_MAILTO: as the link's button, if the token is good."""
    try:
        unsubscribe(token)
    except InvalidLink as refusal:
        log.info("An emailed unsubscribe request was not acted on: %s", refusal)
