"""Demo email updates: an approved update to the open demo statement's signatories who asked for updates
(the demo signatures, see campaigns/signatures/demo.py) waits for a co-author to send it; its emails land in
instance/outbox/ when no mail server is set."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.mailings import services
from campaigns.mailings.models import Mailing
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


def load_demo_updates() -> int:
    """Add the demo update if the open statement has no updates yet; returns updates added."""
    statement = db.session.scalar(sa.select(Statement).where(Statement.slug == STATEMENT))
    if statement is None or db.session.scalar(sa.select(Mailing.id).where(Mailing.statement_id == statement.id)):
        return 0
    mailing = services.compose(statement, UpdateDraft(SUBJECT, BODY), actor=_person("sam.patel@northshire.example.org"))
    services.request_approval(mailing, actor=_person("sam.patel@northshire.example.org"))
    services.approve(mailing, actor=_person("chair@northshire-foundation.example.org"))
    db.session.flush()
    return 1
