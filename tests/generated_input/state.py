"""What the database (and the folder of uploaded files) holds: a fingerprint to compare, a snapshot to go back to."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.submissions import uploads
from tests.support.databases import DatabaseUnderTest


def _rows(table: sa.Table) -> list[tuple]:
    return sorted(tuple(row) for row in db.session.execute(sa.select(table)).all())


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows, and of the names of the stored files; equal when nothing changed."""
    db.session.commit()
    prints = {
        table.name: hashlib.sha256(repr(_rows(table)).encode()).hexdigest() for table in db.metadata.sorted_tables
    }
    prints["<uploaded files>"] = stored_files()
    return prints


def stored_files() -> str:
    return repr(sorted(path.name for path in uploads.folder().iterdir()))


class Writes:
    """Whether any transaction that wrote (INSERT, UPDATE, DELETE) has committed since `committed` was last reset.

    Comparing fingerprints costs as much as a request; most requests write nothing, so they are compared only
    when something that wrote was committed.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.committed = False
        self._writing: set[int] = set()

    def _execute(self, connection: sa.Connection, _cursor, statement: str, *_args) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._writing.add(id(connection.connection.dbapi_connection))

    def _commit(self, connection: sa.Connection) -> None:
        if id(connection.connection.dbapi_connection) in self._writing:
            self.committed = True
        self._writing.discard(id(connection.connection.dbapi_connection))

    def _rollback(self, connection: sa.Connection) -> None:
        self._writing.discard(id(connection.connection.dbapi_connection))

    def __enter__(self) -> Writes:
        sa.event.listen(self.engine, "before_cursor_execute", self._execute)
        sa.event.listen(self.engine, "commit", self._commit)
        sa.event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *_exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._execute)
        sa.event.remove(self.engine, "commit", self._commit)
        sa.event.remove(self.engine, "rollback", self._rollback)


def _cyclic(table: sa.Table) -> set[str]:
    return {fk.parent.name for fk in table.foreign_keys if fk.use_alter or fk.constraint.use_alter}


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


@dataclass
class Snapshot:
    """The world as built, to go back to after a request changed it."""

    database: DatabaseUnderTest
    rows: dict[str, list[dict]]
    files: dict[str, bytes]
    copy: Path | None = None

    @classmethod
    def take(cls, database: DatabaseUnderTest) -> Snapshot:
        db.session.commit()
        files = {path.name: path.read_bytes() for path in uploads.folder().iterdir()}
        if database.backend == "sqlite":
            db.session.remove()
            db.engine.dispose()
            copy = database.directory / "world.db"
            shutil.copyfile(database.directory / "campaigns.db", copy)
            return cls(database, {}, files, copy)
        rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(sa.select(table))]
            for table in db.metadata.sorted_tables
        }
        return cls(database, rows, files)

    def restore(self) -> None:
        db.session.remove()
        folder = uploads.folder()
        for path in folder.iterdir():
            if path.name not in self.files:
                path.unlink()
        for name, content in self.files.items():
            if not (folder / name).exists():
                (folder / name).write_bytes(content)
        if self.copy is not None:
            db.engine.dispose()
            for suffix in ("-wal", "-shm"):
                Path(f"{self.database.directory / 'campaigns.db'}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.copy, self.database.directory / "campaigns.db")
            return
        tables = db.metadata.sorted_tables
        with db.engine.begin() as connection:
            # TRUNCATE, not DELETE: the activity log and revisions refuse DELETE (append-only triggers).
            connection.exec_driver_sql("TRUNCATE " + ", ".join(f'"{table.name}"' for table in tables))
            later: list[tuple[sa.Table, dict]] = []
            for table in tables:
                rows = self.rows[table.name]
                if not rows:
                    continue
                # Columns whose foreign key closes a cycle (statements -> revisions) are filled in afterwards.
                cyclic = _cyclic(table)
                connection.execute(table.insert(), [{**row, **dict.fromkeys(cyclic)} for row in rows])
                later += [(table, row) for row in rows if cyclic and any(row[c] is not None for c in cyclic)]
            for table, row in later:
                key = [column.name for column in table.primary_key.columns]
                connection.execute(
                    table.update()
                    .where(*(table.c[name] == row[name] for name in key))
                    .values({name: value for name, value in row.items() if name not in key})  # onupdate too
                )
