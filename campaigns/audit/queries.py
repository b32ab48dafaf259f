"""Reading the audit log a page at a time, newest first."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Organisation

PAGE_SIZE = 50


def page(
    before: int | None, *, organisation_id: int | None = None, about: tuple[str, int] | None = None
) -> tuple[list[AuditEvent], int | None]:
    """Up to PAGE_SIZE events older than the id `before`: all, one organisation's, or those `about` one object
    (its table name and id); and the marker for the next page."""
    query = sa.select(AuditEvent)
    if organisation_id is not None:
        # An organisation's history includes that of the organisations merged into it.
        merged = sa.select(Organisation.id).where(Organisation.merged_into_id == organisation_id)
        query = query.where(
            sa.or_(AuditEvent.organisation_id == organisation_id, AuditEvent.organisation_id.in_(merged))
        )
    if about is not None:
        query = query.where(AuditEvent.object_type == about[0], AuditEvent.object_id == about[1])
    if before is not None:
        query = query.where(AuditEvent.id < before)
    events = list(
        db.session.scalars(
            query.options(joinedload(AuditEvent.actor), joinedload(AuditEvent.organisation))
            .order_by(AuditEvent.id.desc())
            .limit(PAGE_SIZE + 1)
        )
    )
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    return events, events[-1].id if more else None
