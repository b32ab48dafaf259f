"""Read-only queries for email updates: a statement's history of updates, one update, and the ones published on
its public page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.mailings import audience
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.mailings.progress import Progress, progress_from, reports_after, status_counts, unsubscribes_after
from campaigns.outbox.reports import ReportKind
from campaigns.statements import queries as statement_queries
from campaigns.statements.models import Statement


def update_of(statement: Statement, update_id: int) -> Mailing:
    """One of the statement's updates; any other id is not found."""
    mailing = db.session.get(Mailing, update_id)
    if mailing is None or mailing.statement_id != statement.id:
        raise NotFound("We could not find that update.")
    return mailing


def draft_titled(statement: Statement, subject: str) -> Mailing | None:
    """The statement's newest update still being drafted under `subject`, if there is one."""
    return db.session.scalar(
        sa.select(Mailing)
        .where(Mailing.statement_id == statement.id, Mailing.status == MailingStatus.DRAFT, Mailing.subject == subject)
        .order_by(Mailing.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class HistoryRow:
    mailing: Mailing
    audience: str
    progress: Progress
    unsubscribes: int
    reports: dict[ReportKind, int]


def history(statement: Statement) -> list[HistoryRow]:
    """Every update of the statement, newest first, with its audience in words, its progress and what came back:
    the same statements however many updates there are."""
    mailings = list(
        db.session.scalars(
            sa.select(Mailing)
            .where(Mailing.statement_id == statement.id)
            .options(
                joinedload(Mailing.organisation),
                joinedload(Mailing.created_by),
                joinedload(Mailing.approved_by),
                joinedload(Mailing.approved_for),
            )
            .order_by(Mailing.id.desc())
        )
    )
    ids = [mailing.id for mailing in mailings]
    counts, unsubscribes, reports = status_counts(ids), unsubscribes_after(ids), reports_after(ids)
    authors = statement_queries.author_organisations(statement) if mailings else []
    return [
        HistoryRow(
            mailing=mailing,
            audience=audience.describe(mailing, authors),
            progress=progress_from(mailing, counts[mailing.id]),
            unsubscribes=unsubscribes[mailing.id],
            reports=reports[mailing.id],
        )
        for mailing in mailings
    ]


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
    """One of the statement's published updates, or NotFound (also for a draft or an update taken down)."""
    mailing = db.session.scalar(_published(statement).where(Mailing.id == update_id))
    if mailing is None:
        raise NotFound("We could not find that update. It may have been taken off the public page.")
    return mailing
