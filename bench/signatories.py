"""`make bench`: the public list of signatories at 1,000 and 100,000 signatures, on PostgreSQL.

For each size it builds a database in seconds (generate_series: organisations of every kind and region,
confirmed and counted signatures, their counters, days and periods, as signing would leave them), then
prints the p50 of the list query (the first page, a deep page, by kind, by region) and of the whole
statement and signatories pages (in-process, through the Flask test client, with the SQL statements each sends),
of a cache revalidating the signatories page (304), and the list query's plan (EXPLAIN ANALYZE).

PostgreSQL: CAMPAIGNS_BENCH_DATABASE_URL, or a temporary database on postgres@127.0.0.1.
BENCH_SIZES=1000,100000,1000000 to choose the sizes, BENCH_ROUNDS the runs of each measurement.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade  # noqa: E402
from mailings import drop_postgres, open_statement, postgres_url  # noqa: E402

from campaigns import create_app  # noqa: E402
from campaigns.extensions import db  # noqa: E402
from campaigns.organisations.models import OrganisationKind  # noqa: E402
from campaigns.signatures import public_list  # noqa: E402
from campaigns.signatures.bulk import add_confirmed_signatures  # noqa: E402
from campaigns.signatures.services import prepare_for_signatures, settings_for  # noqa: E402
from campaigns.statements.models import Statement  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def build(url: str, size: int) -> tuple[object, int]:
    """A migrated database with one open statement signed by `size` organisations; returns the app."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        statement = open_statement()
        prepare_for_signatures(statement)
        add_confirmed_signatures(statement, size)
        db.session.commit()
        statement_id = statement.id
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return app, statement_id


def captured_list_query(app: object, statement_id: int, filters: public_list.Filters, after: int | None) -> tuple:
    """The list query exactly as the app sends it for one page (its SQL and parameters)."""
    captured: list[tuple[str, object]] = []

    def remember(_conn: object, _cursor: object, statement: str, parameters: object, *_args: object) -> None:
        if "FROM signatures JOIN organisations" in statement and "ORDER BY" in statement:
            captured.append((statement, parameters))

    with app.app_context():  # type: ignore[attr-defined]
        sa.event.listen(db.engine, "before_cursor_execute", remember)
        try:
            statement = db.session.get(Statement, statement_id)
            public_list.page(statement_id, settings_for(statement), filters, after=after)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", remember)
    return captured[0]


def list_queries(app: object, statement_id: int) -> dict[str, tuple]:
    """The list's first page, a page deep in it, and the filters."""
    with app.app_context():  # type: ignore[attr-defined]
        ids = list(db.session.scalars(sa.text("SELECT id FROM signatures ORDER BY confirmed_at, id")))
    cases = {
        "first page": (public_list.Filters(), None),
        "page half-way down": (public_list.Filters(), ids[len(ids) // 2]),
        "councils only": (public_list.Filters(kind=OrganisationKind.COUNCIL), None),
        "one region (London)": (public_list.Filters(region="london"), None),
        "search 'trust 12'": (public_list.Filters(search="trust 12"), None),
    }
    return {label: captured_list_query(app, statement_id, *case) for label, case in cases.items()}


def run_sql(app: object, sql: str, parameters: object, *, explain: bool = False) -> str:
    """The p50 of running the query (ROUNDS times, after one to warm), or its plan."""
    with app.app_context(), db.engine.connect() as connection:  # type: ignore[attr-defined]
        cursor = connection.connection.cursor()
        if explain:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, parameters)
            return "\n".join(f"    {row[0]}" for row in cursor.fetchall())
        timings = []
        for _ in range(ROUNDS + 1):
            started = time.perf_counter()
            cursor.execute(sql, parameters)
            cursor.fetchall()
            timings.append(time.perf_counter() - started)
        return f"{statistics.median(timings[1:]) * 1000:.2f} ms"


def page_p50(app: object, path: str, *, revalidate: bool = False) -> tuple[str, int]:
    """The p50 of a reader's request for the page (or, with `revalidate`, of a cache asking whether its copy is
    still good), and the number of SQL statements it sends."""
    client = app.test_client()  # type: ignore[attr-defined]
    headers = {"If-None-Match": client.get(path).headers["ETag"]} if revalidate else {}
    statements: list[str] = []
    with app.app_context():  # type: ignore[attr-defined]
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    timings = []
    for _ in range(ROUNDS + 1):
        statements.clear()
        started = time.perf_counter()
        assert client.get(path, headers=headers).status_code == (304 if revalidate else 200)
        timings.append(time.perf_counter() - started)
    return f"{statistics.median(timings[1:]) * 1000:.1f} ms", len(statements)


def main() -> None:
    url, created = postgres_url()
    if url is None:
        raise SystemExit("No PostgreSQL server answered on 127.0.0.1; set CAMPAIGNS_BENCH_DATABASE_URL.")
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="cg-bench-")
    rows: list[tuple[str, str, str]] = []
    plans: list[str] = []
    try:
        for size in SIZES:
            with sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool).connect() as c:
                c.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            started = time.perf_counter()
            app, statement_id = build(url, size)
            rows.append((f"{size:,}", "build the database", f"{time.perf_counter() - started:.1f} s"))
            queries = list_queries(app, statement_id)
            for label, (sql, parameters) in queries.items():
                rows.append((f"{size:,}", f"list query: {label}", run_sql(app, sql, parameters)))
            for label, path, revalidate in (
                ("statement page", "/s/bench-statement", False),
                ("signatories page", "/s/bench-statement/signatories", False),
                ("signatories page, revalidated (304)", "/s/bench-statement/signatories", True),
            ):
                took, statements = page_p50(app, path, revalidate=revalidate)
                rows.append((f"{size:,}", f"{label}: {statements} SQL statements", took))
            for label in ("first page", "one region (London)"):
                plans.append(f"{size:,} signatures, {label}:\n{run_sql(app, *queries[label], explain=True)}")
            with app.app_context():  # type: ignore[attr-defined]
                db.engine.dispose()
    finally:
        if created:
            drop_postgres(created)
    print(f"\nSignatories list benchmark (PostgreSQL, p50 of {ROUNDS} runs)\n")
    print(f"{'Signatures':<11} {'Measurement':<50} Result")
    print(f"{'-' * 11} {'-' * 50} {'-' * 12}")
    for size, label, result in rows:
        print(f"{size:<11} {label:<50} {result}")
    print("\nThe list query's plan:\n")
    print("\n\n".join(plans))


if __name__ == "__main__":
    main()
