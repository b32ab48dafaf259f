"""One statement's changes, one at a time."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.statements.models import Statement


def lock(statement: Statement) -> None:
    """Take the statement's row (PostgreSQL row lock; SQLite's write lock already serialises) and re-read it,
    so every check a service makes after this sees the latest committed state."""
    db.session.execute(sa.select(Statement.id).where(Statement.id == statement.id).with_for_update())
    db.session.refresh(statement)
