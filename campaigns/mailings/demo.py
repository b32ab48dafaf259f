"""Demo email updates: an earlier one, sent and published on the open demo statement's public page; and an
approved update to its signatories who asked for updates (the demo signatures, see campaigns/signatures/demo.py)
waiting for a co-author to send it; its emails land in instance/outbox/ when no mail server is set."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.mailings import audience, emails, services
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.mailings.services import UpdateDraft
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.signatures.history import counting_just_before
from campaigns.signatures.models import Signature
from campaigns.statements.models import Statement

STATEMENT = "fair-funding-for-rural-councils"
SUBJECT = "We briefed the Public Accounts Committee"
BODY = """Dear ((name)),

Thank you for signing on behalf of **((organisation))**. This week we briefed the Public Accounts
Committee on the statement, with the names of every organisation that had signed.

## What happens next

* We are still waiting for full replies from HM Treasury and the Ministry of Housing, Communities and
  Local Government.
* We will write again when they reply.
"""


def _person(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


EARLIER_SUBJECT = "Thank you for signing: what happens next"
EARLIER_BODY = """Dear ((name)),

Thank you for adding **((organisation))** to the statement. We sent it to HM Treasury and to the
Ministry of Housing, Communities and Local Government in the autumn, and we are chasing both for a
full reply. Next, we will ask the councils and charities in every region to sign too.
"""


def _earlier_update(statement: Statement, writer: User, approver: User) -> None:
    """An update sent and published ten days ago, as the public page, its feed and its progress show it: its
    emails, to those who had asked for updates by then, are recorded as sent then, so none are queued now."""
    then = utcnow() - timedelta(days=10)
    with clock_at(then - timedelta(hours=3)):  # written and approved that morning
        mailing = services.compose(statement, UpdateDraft(EARLIER_SUBJECT, EARLIER_BODY), actor=writer)
        services.request_approval(mailing, actor=writer)
        services.approve(mailing, actor=approver)
    asked = _asking_for_updates_at(statement, then)
    rows = emails.rows_for(mailing, [r for r in audience.recipients(mailing) if r.email.lower() in asked], then)
    for row in rows:
        row.update(status=OutboxStatus.SENT.value, attempts=1, sent_at=then)
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)
    mailing.status, mailing.sent_by_id, mailing.recipient_count = MailingStatus.SENT, writer.id, len(rows)
    mailing.started_at = mailing.finished_at = mailing.published_at = then


def _asking_for_updates_at(statement: Statement, moment: datetime) -> set[str]:
    """The addresses of signers whose signature counted just before `moment` and who asked for updates."""
    counting = counting_just_before(statement.id, moment)
    return {
        email.lower()
        for email in db.session.scalars(
            sa.select(Signature.signer_email).where(Signature.id.in_(counting), Signature.wants_updates.is_(True))
        )
    }


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
