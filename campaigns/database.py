"""The declarative base, column types shared by every model, and engine set-up per dialect."""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, make_transient_to_detached, registry

#: Every constraint and index gets a stable name, so migrations and error handling can rely on it.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Requests with these methods never write, so on SQLite they need not take the write lock.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: True where SQLite statements run without an explicit transaction (see sqlite_autocommit).
_autocommit: ContextVar[bool] = ContextVar("campaigns_sqlite_autocommit", default=False)
#: True where SQLite transactions begin deferred even outside a GET request (see sqlite_deferred).
_deferred: ContextVar[bool] = ContextVar("campaigns_sqlite_deferred", default=False)


@contextmanager
def sqlite_deferred() -> Iterator[None]:
    """Begin SQLite transactions in this context deferred (BEGIN), as a GET request's are: for a long read outside
    a request (the worker building an export), which must not hold the write lock while it reads."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


@contextmanager
def sqlite_autocommit(enabled: bool = True) -> Iterator[None]:
    """Run each SQLite statement in this context as its own transaction, so none holds a lock or a snapshot.

    For code that inspects the database while other threads write to it, and needs no atomicity of its
    own: a test reading what a browser's requests committed. The app itself never uses it. With `enabled` False,
    transactions again, inside such a context: a test of what a rollback undoes.
    """
    token = _autocommit.set(enabled)
    try:
        yield
    finally:
        _autocommit.reset(token)


#: How far `utcnow` reads behind the real clock; zero except while demo data or a test builds a past.
_clock_behind: ContextVar[timedelta] = ContextVar("campaigns_clock_behind", default=timedelta(0))


def utcnow() -> datetime:
    return datetime.now(UTC) - _clock_behind.get()


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Record what happens inside as if it happened from `moment` on (the clock keeps running from there).

    Only for building a believable past: the demo's statements agreed months ago, a test's statement agreed
    before the date it was sent. Every timestamp the app writes comes from `utcnow`, so the whole history
    (revisions, agreements, the activity log) stays in order.
    """
    token = _clock_behind.set(datetime.now(UTC) - moment)
    try:
        yield
    finally:
        _clock_behind.reset(token)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON()},
    )


def configure_engine(engine: Engine) -> None:
    """SQLite: WAL, foreign keys, a busy timeout, and write transactions that begin with BEGIN IMMEDIATE."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins and how.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A deferred transaction that later writes fails at once with "database is locked" when
        # another writer got there first; BEGIN IMMEDIATE waits (busy_timeout) for the lock instead.
        # Reads of GET requests stay deferred so pages never queue behind writers.
        if _autocommit.get():
            return
        if _deferred.get() or (has_request_context() and request.method in READ_ONLY_METHODS):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def string_enum(cls: type[enum.StrEnum], name: str, length: int = 30) -> sa.Enum:
    """An enum stored as its value in a VARCHAR with a named CHECK constraint (no native ENUM type)."""
    return sa.Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def rows_changed(result: sa.Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed. (Session.execute is typed as returning a plain Result;
    for those statements it is a CursorResult, which counts them.)"""
    return cast("sa.CursorResult[Any]", result).rowcount


_MEMO = "campaigns_memo"


def session_memo(session: Session, name: str) -> dict[Any, Any]:
    """A dictionary of answers read in `session`, forgotten as soon as the session writes or ends its transaction.

    For a question asked many times while one page renders (what may this person do with this statement?):
    the answer is read once, and any change (a flush, an UPDATE or DELETE statement, a commit or a rollback)
    makes the next ask read it afresh, whatever the request's method.
    """
    memo: dict[str, dict[Any, Any]] = session.info.setdefault(_MEMO, {})
    return memo.setdefault(name, {})


def _forget(session: Session, *_: object) -> None:
    session.info.pop(_MEMO, None)


for _event in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback", "after_transaction_end"):
    sa.event.listen(Session, _event, _forget)


@sa.event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state: ORMExecuteState) -> None:
    if not (state.is_select or _is_text_select(state.statement) or state.execution_options.get(_READS_ONLY)):
        _forget(state.session)


def _is_text_select(statement: object) -> bool:
    """A SELECT written out as text (which SQLAlchemy cannot tell from a write): it reads only."""
    return isinstance(statement, sa.TextClause) and statement.text.lstrip()[:7].upper() == "SELECT "


_READS_ONLY = "campaigns_reads_only"


def reads_only(statement: sa.TextClause) -> sa.TextClause:
    """`statement`, written as text and not starting with SELECT (a WITH, say), marked as one that only reads: running
    it does not make the session forget what it remembers (see session_memo)."""
    return statement.execution_options(**{_READS_ONLY: True})


def insert_now(session: Session, obj: Any, *, skip_on_conflict: bool = False) -> bool:
    """Write a new object's row at once, by one INSERT in the session's transaction, and keep the object in the session
    as if loaded: what a flush does for one object, at a fraction of the unit of work's cost (for rows every sign-on
    writes). Column defaults, the version counter and the mapper's insert events apply as in a flush.

    With `skip_on_conflict`, a row refused by any unique constraint is not written (ON CONFLICT DO NOTHING, no
    savepoint needed) and False is returned: the caller looks up what it clashed with. Only column values are
    written: relationships must be set by their foreign keys.
    """
    mapper = sa.inspect(type(obj))
    state = sa.inspect(obj)
    assert state.transient, "insert_now writes new objects only"
    relationship_names = set(mapper.relationships.keys())
    assert not relationship_names & state.dict.keys(), "set foreign keys, not relationships"
    connection = session.connection()
    _forget(session)  # as any write does (see session_memo)
    mapper.dispatch.before_insert(mapper, connection, state)
    # As in a flush, None given for a column with a default means the default.
    values = {
        prop.columns[0].key: state.dict[prop.key]
        for prop in mapper.column_attrs
        if state.dict.get(prop.key) is not None or (prop.key in state.dict and not _has_default(prop.columns[0]))
    }
    if mapper.version_id_col is not None and mapper.version_id_generator:
        values.setdefault(mapper.version_id_col.key, mapper.version_id_generator(None))
    result = connection.execute(_insert(mapper.local_table, connection.dialect.name, skip_on_conflict), values)
    key = result.first()
    if key is None:
        return False
    written = cast(dict[str, Any], result.last_inserted_params()) | dict(key._mapping)
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if column.key in written:
            state.dict[prop.key] = written[column.key]
        elif column.server_default is None:
            state.dict[prop.key] = None  # written as NULL; one the database fills in is read when first used
    make_transient_to_detached(obj)
    session.add(obj)
    # Counted among the transaction's new objects, as a flush counts them: a rollback (of a savepoint too) takes it out
    # of the session again, transient with its values, rather than leaving it there as if its row existed.
    transaction = session.get_transaction() if not session.in_nested_transaction() else session.get_nested_transaction()
    if transaction is not None:
        transaction._new[state] = True
    mapper.dispatch.after_insert(mapper, connection, state)
    return True


def _has_default(column: sa.Column[Any]) -> bool:
    return column.default is not None or column.server_default is not None


@functools.cache
def _insert(table: sa.Table, dialect: str, skip_on_conflict: bool) -> Any:
    """One INSERT statement per table, returning its key, its values given when run: built and cached once (a
    statement built with its values costs more to look up in the compiled cache than to run)."""
    # ON CONFLICT DO NOTHING is the same clause on both databases, from each dialect's own insert().
    insert = postgresql_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    if skip_on_conflict:
        insert = insert.on_conflict_do_nothing()
    return insert.returning(*table.primary_key.columns)
