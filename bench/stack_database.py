"""make bench, against the floor: one PostgreSQL database per size, built once with the bulk loader and migrated."""

from __future__ import annotations

import os
import time

import sqlalchemy as sa
from flask_migrate import upgrade
from signatories import build
from stack_settings import ADMIN_URL, BUILT, ROOT

from campaigns import create_app
from campaigns.extensions import db


def _admin() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def database_for(size: int) -> str:
    """The URL of a database holding an open statement with `size` confirmed signatures, built if need be."""
    name = f"cg_bench_stack_{size}"
    url = sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    admin = _admin()
    with admin.connect() as connection:
        comment = connection.execute(
            sa.text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"),
            {"name": name},
        ).scalar()
        if comment == BUILT.format(size=size) and os.environ.get("BENCH_REBUILD", "") in ("", "0"):
            admin.dispose()
            migrate(url)  # a database kept from an earlier run gets the migrations added since, as a site would
            return url
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    print(f"Building the database with {size:,} signatures ...", flush=True)
    app, _statement_id = build(url, size)  # bench/signatories.py's: migrations, bulk load, VACUUM ANALYZE
    with app.app_context():  # type: ignore[attr-defined]
        db.engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"COMMENT ON DATABASE \"{name}\" IS '{BUILT.format(size=size)}'")
    admin.dispose()
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


# --- Serving -----------------------------------------------------------------------------------------------------
