"""Read-only queries for email updates: one update, and the ones published on a statement's public page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.mailings.models import Mailing
from campaigns.statements.models import Statement


def update_of(statement: Statement, update_id: int) -> Mailing:
    """One of the statement's updates; any other id is not found."""
    mailing = db.session.get(Mailing, update_id)
    if mailing is None or mailing.statement_id != statement.id:
        raise NotFound("We could not find that update.")
    return mailing


def _published(statement: Statement) -> sa.Select[Mailing]:
    return (
        sa.select(Mailing)
        .options(joinedload(Mailing.organisation))
        .where(Mailing.statement_id == statement.id, Mailing.published_at.is_not(None))
    )


def published_updates(statement: Statement, limit: int | None = None) -> list[Mailing]:
    """The statement's published updates, newest first."""
    query = _published(statement).order_by(Mailing.published_at.desc(), Mailing.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def published_update(statement: Statement, update_id: int) -> Mailing:
    mailing = db.session.scalar(_published(statement).where(Mailing.id == update_id))
    if mailing is None:
        raise NotFound("We could not find that update. It may have been taken off the public page.")
    return mailing
