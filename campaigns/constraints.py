"""Turning an IntegrityError into a domain error by the violated constraint's name.

PostgreSQL reports the name directly. SQLite reports a UNIQUE violation by table and columns,
so we look the named constraint up in our own metadata; CHECK violations carry the name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from campaigns.errors import DomainError
from campaigns.extensions import db


def _sqlite_unique_name(detail: str, metadata: sa.MetaData) -> str | None:
    # e.g. "UNIQUE constraint failed: memberships.organisation_id, memberships.user_id"
    if detail.startswith("index '") and detail.endswith("'"):
        return detail[len("index '") : -1]
    qualified = [part.strip() for part in detail.split(",")]
    table_names = {part.split(".", 1)[0] for part in qualified}
    if len(table_names) != 1:
        return None
    table = metadata.tables.get(table_names.pop())
    if table is None:
        return None
    columns = {part.split(".", 1)[1] for part in qualified}
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and {c.name for c in constraint.columns} == columns:
            return str(constraint.name)
    for index in table.indexes:
        if index.unique and {c.name for c in index.columns} == columns:
            return str(index.name)
    return None


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError violated, on PostgreSQL and SQLite."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:
        return getattr(diag, "constraint_name", None)
    errorname = getattr(orig, "sqlite_errorname", "")
    text = str(orig)
    _, _, detail = text.partition(" constraint failed: ")
    if errorname in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        return _sqlite_unique_name(detail, db.metadata)
    if errorname == "SQLITE_CONSTRAINT_CHECK":
        return detail or None
    return None


@contextmanager
def constraint_errors(errors: Mapping[str, Callable[[], DomainError]]) -> Iterator[None]:
    """Run the block's changes in a savepoint; a listed constraint violation raises its domain error.

    Make the changes inside the block: the savepoint is flushed on leaving it, and a refused
    change rolls back only the savepoint, so the rest of the transaction stays usable.
    """
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as error:
        make_error = errors.get(constraint_name(error) or "")
        if make_error is None:
            raise
        raise make_error() from error
