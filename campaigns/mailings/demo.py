"""Demo email updates: an earlier one, sent and published on the open demo statement's public page; and an
approved update to its signatories who asked for updates (the demo signatures, see campaigns/signatures/demo.py)
waiting for a co-author to send it; its emails land in instance/outbox/ when no mail server is set."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings import audience, services
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.mailings.services import UpdateDraft
from campaigns.statements.models import Statement

STATEMENT = "fair-funding-for-rural-councils"
SUBJECT = "Our statement went to the Treasury today"
BODY = """Dear ((name)),

Thank you for signing on behalf of **((organisation))**. This morning we sent the statement to the
Chancellor and to the Minister for Local Government, with the names of every organisation that signed.

## What happens next

* We have asked for a meeting before the spending review.
* We will write again when we have a reply.
"""


def _person(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


EARLIER_SUBJECT = "Thank you for signing: what happens next"
EARLIER_BODY = """Dear ((name)),

Thank you for adding **((organisation))** to the statement. Over the next month we will ask the
councils and charities in every region to sign too, before we send it to the Treasury.
"""


def _earlier_update(statement: Statement, writer: User, approver: User) -> None:
    """An update sent and published ten days ago, as the public page and its feed show it. Only its record:
    its emails went out long ago, so none are queued now."""
    mailing = services.compose(statement, UpdateDraft(EARLIER_SUBJECT, EARLIER_BODY), actor=writer)
    services.request_approval(mailing, actor=writer)
    services.approve(mailing, actor=approver)
    then = utcnow() - timedelta(days=10)
    mailing.status, mailing.sent_by_id = MailingStatus.SENT, writer.id
    mailing.started_at = mailing.finished_at = mailing.published_at = then
    mailing.recipient_count = len(audience.recipients(mailing))


def load_demo_updates() -> int:
    """Add the demo updates if the open statement has none yet: one sent and published ten days ago, and one
    approved and waiting to be sent. Returns updates added."""
    statement = db.session.scalar(sa.select(Statement).where(Statement.slug == STATEMENT))
    if statement is None or db.session.scalar(sa.select(Mailing.id).where(Mailing.statement_id == statement.id)):
        return 0
    writer, approver = _person("sam.patel@northshire.example.org"), _person("chair@northshire-foundation.example.org")
    _earlier_update(statement, writer, approver)
    mailing = services.compose(statement, UpdateDraft(SUBJECT, BODY), actor=writer)
    services.request_approval(mailing, actor=writer)
    services.approve(mailing, actor=approver)
    db.session.flush()
    return 2
