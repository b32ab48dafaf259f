"""The audit log: an append-only record of who did what, acting for which organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation


class AuditEvent(Model):
    """Never updated or deleted: the database refuses both (see the migration's triggers)."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_organisation_id_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The organisation the actor acted for, or whose affairs the event concerns.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    action: Mapped[str] = mapped_column(sa.String(100))
    object_type: Mapped[str | None] = mapped_column(sa.String(50))
    object_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
