"""Test databases: a fresh one per backend per run, built by the migrations and emptied after each test."""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from campaigns.extensions import db

#: Set to a PostgreSQL server URL to run every database test on PostgreSQL as well as SQLite.
POSTGRES_URL = os.environ.get("CAMPAIGNS_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


def _postgres_admin_engine() -> sa.Engine:
    return sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@dataclass
class DatabaseUnderTest:
    backend: str
    url: str
    directory: Path
    _template: Path | None = field(default=None)

    @classmethod
    def create(cls, backend: str, directory: Path) -> DatabaseUnderTest:
        if backend == "sqlite":
            return cls(backend, f"sqlite:///{directory / 'campaigns.db'}", directory)
        name = f"cg_test_{secrets.token_hex(6)}"
        engine = _postgres_admin_engine()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return cls(
            backend, sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False), directory
        )

    def drop(self) -> None:
        if self.backend == "postgresql":
            name = sa.make_url(self.url).database
            engine = _postgres_admin_engine()
            with engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            engine.dispose()

    def migrate(self, app: Flask) -> None:
        """Build the schema by running every migration, then remember it as the clean state."""
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            db.session.remove()
            db.engine.dispose()
        if self.backend == "sqlite":
            self._template = self.directory / "template.db"
            shutil.copyfile(self.directory / "campaigns.db", self._template)

    def reset(self, app: Flask) -> None:
        """Back to the freshly migrated state, whatever the test committed."""
        with app.app_context():
            db.session.remove()
            if self.backend == "sqlite":
                db.engine.dispose()
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.directory / 'campaigns.db'}{suffix}").unlink(missing_ok=True)
                assert self._template is not None
                shutil.copyfile(self._template, self.directory / "campaigns.db")
                return
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
