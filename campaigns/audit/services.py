"""Writing the audit log. Services call record(); nothing else writes audit events."""

from __future__ import annotations

from typing import Any

from campaigns.accounts.models import User
from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Organisation


def record(
    action: str,
    obj: Any = None,
    *,
    actor: User | None,
    organisation: Organisation | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append an event: `action` is dotted, e.g. `organisation.member_invited`; `detail` is small JSON."""
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        organisation_id=organisation.id if organisation is not None else None,
        action=action,
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=obj.id if obj is not None else None,
        detail=detail,
    )
    db.session.add(event)
    return event
