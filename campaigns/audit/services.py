"""Writing the audit log. Services call record(); nothing else writes audit events."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.models import AuditEvent
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation

_INSERT = sa.insert(cast(sa.Table, AuditEvent.__table__))


def record(
    action: str,
    obj: Any = None,
    *,
    actor: User | None,
    organisation: Organisation | None = None,
    **detail: Any,
) -> None:
    """Append an event: `action` is dotted, e.g. `organisation.member_invited`; `detail` is small JSON.

    Written at once, in the caller's transaction, by one INSERT rather than through the session's unit of work:
    every change writes one or more, nothing reads one back as an object, and the unit of work costs several times
    the statement (a sign-on writes two)."""
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    db.session.connection().execute(
        _INSERT,
        {
            "created_at": utcnow(),
            "actor_id": actor.id if actor is not None else None,
            "organisation_id": organisation.id if organisation is not None else None,
            "action": action,
            "object_type": obj.__tablename__ if obj is not None else None,
            "object_id": obj.id if obj is not None else None,
            "detail": detail,
        },
    )
