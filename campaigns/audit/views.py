"""The activity log: an organisation's own for its admins, everything for platform admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations import queries
from campaigns.organisations.permissions import Permission, require, require_platform_admin

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


def _page(query: sa.Select[tuple[AuditEvent]]) -> tuple[list[AuditEvent], int | None]:
    """Newest first, a page at a time: `before` is the id of the last event on the previous page."""
    before = request.args.get("before", type=int)
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


@bp.get("/organisations/<slug>/activity")
@login_required
def organisation_log(slug: str) -> str:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.VIEW_AUDIT_LOG)
    events, next_before = _page(sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation.id))
    return render_template("audit/log.html", organisation=organisation, events=events, next_before=next_before)


@bp.get("/admin/activity")
@login_required
def platform_log() -> str:
    require_platform_admin(current_user)
    events, next_before = _page(sa.select(AuditEvent))
    return render_template("audit/log.html", organisation=None, events=events, next_before=next_before)
