"""`make bench`: the owners' and public CSV downloads against PostgreSQL's own `COPY ... TO STDOUT`, on PostgreSQL.

For each size it builds a database (generate_series, as bench/signatories.py), then times, BENCH_ROUNDS times each
(p50):

- the floor: `COPY (<the export's plain query>) TO STDOUT (FORMAT csv, HEADER)`: the same rows with the columns
  they are made from, as stored (no labels, time zones or defusing), read to the end through psycopg;
- each download as a browser gets it: the whole response body read through the Flask test client, streamed;

and prints the ratio, the rows per second, and how much the process's peak memory grew while streaming (Linux: the
peak resident set is reset before each download through /proc/self/clear_refs), which stays flat at any size.

PostgreSQL: CAMPAIGNS_BENCH_DATABASE_URL, or a temporary database on postgres@127.0.0.1.
BENCH_EXPORT_SIZES=100000,1000000 to choose the sizes (default 100,000), BENCH_EXPORT_ROUNDS the runs (default 3).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade  # noqa: E402
from mailings import drop_postgres, open_statement, postgres_url  # noqa: E402

from campaigns import create_app  # noqa: E402
from campaigns.accounts.models import User  # noqa: E402
from campaigns.accounts.passwords import hash_password  # noqa: E402
from campaigns.database import utcnow  # noqa: E402
from campaigns.extensions import db  # noqa: E402
from campaigns.organisations.models import Membership, Role  # noqa: E402
from campaigns.signatures import exports  # noqa: E402
from campaigns.signatures.bulk import add_confirmed_signatures  # noqa: E402
from campaigns.signatures.public_list import Filters  # noqa: E402
from campaigns.signatures.services import prepare_for_signatures, settings_for  # noqa: E402
from campaigns.signatures.signing import consent_wording  # noqa: E402
from campaigns.statements.models import Participant, ParticipantRole, ParticipantStatus, Statement  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_EXPORT_SIZES", "100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", "3"))
OWNER_EMAIL = "owner@bench.example.org"
PASSWORD = "a long bench password 1"


def build(url: str, size: int) -> object:
    """A migrated database with one open statement signed by `size` organisations, and an editor of its lead."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            # Measure the stream itself, however large: the worker-built file is measured elsewhere.
            "CAMPAIGNS_EXPORT_WORKER_ROWS": 0,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        statement = open_statement()
        prepare_for_signatures(statement)
        add_confirmed_signatures(statement, size)
        # The consents as signing on words them (two lines, with commas: every row's cell needs quoting).
        db.session.execute(
            sa.text(
                "UPDATE signatures SET consent_text = CASE WHEN wants_updates THEN :yes ELSE :no END, "
                "comment = CASE WHEN id % 10 = 0 THEN 'We support this, strongly.' ELSE '' END"
            ),
            {"yes": consent_wording(True, True), "no": consent_wording(True, False)},
        )
        owner = User(
            email=OWNER_EMAIL, name="Bench Owner", password_hash=hash_password(PASSWORD), email_verified_at=utcnow()
        )
        db.session.add(owner)
        db.session.flush()
        lead = statement.lead_organisation_id
        db.session.add(Membership(user_id=owner.id, organisation_id=lead, role=Role.EDITOR))
        db.session.add(
            Participant(
                statement_id=statement.id,
                organisation_id=lead,
                role=ParticipantRole.LEAD,
                status=ParticipantStatus.ACTIVE,
            )
        )
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return app


def captured_query(app: object, rows: Callable[[], Iterator[list[str]]]) -> tuple[str, object]:
    """The plain query (the rows' columns as stored, no formatting) of a download, as the app sends it."""
    captured: list[tuple[str, object]] = []

    def remember(_conn: object, _cursor: object, statement: str, parameters: object, *_args: object) -> None:
        if "FROM signatures JOIN organisations" in statement:
            captured.append((statement, parameters))

    with app.app_context():  # type: ignore[attr-defined]
        sa.event.listen(db.engine, "before_cursor_execute", remember)
        try:
            next(rows(), None)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", remember)
            db.session.rollback()
    return captured[-1]


def copy_rows(app: object, sql: str, parameters: object) -> Callable[[], int]:
    """The floor: COPY of the export's query to STDOUT as CSV, read to the end; returns the bytes read."""

    def run() -> int:
        with app.app_context(), db.engine.connect() as connection:  # type: ignore[attr-defined]
            cursor = connection.connection.cursor()
            total = 0
            with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)", parameters) as copy:
                for block in copy:
                    total += len(block)
            return total

    return run


#: The rows the last download said it held, on its last line.
last_rows = [0]


def download(client: object, path: str) -> Callable[[], int]:
    """The download as a browser gets it, read to the end; returns the bytes read."""

    def run() -> int:
        response = client.get(path, buffered=False)  # type: ignore[attr-defined]
        assert response.status_code == 200, response.status_code
        total = 0
        last = b""
        for piece in response.response:
            total += len(piece)
            last = piece
        response.close()
        marker = last.rstrip(b"\r\n").rpartition(b"\n")[2]
        assert marker.startswith(b"# complete: "), "the download did not end with its completeness line"
        last_rows[0] = int(marker.split()[2])
        return total

    return run


def peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(run: Callable[[], int]) -> tuple[float, int, int]:
    """p50 seconds over ROUNDS runs (after one to warm), bytes, and the growth of peak memory in kB."""
    run()
    timings = []
    growth = 0
    size = 0
    for _ in range(ROUNDS):
        resettable = reset_peak()
        before = peak_rss_kb() if resettable else 0
        started = time.perf_counter()
        size = run()
        timings.append(time.perf_counter() - started)
        if resettable:
            growth = max(growth, peak_rss_kb() - before)
    return statistics.median(timings), size, growth


def main() -> None:
    url, created = postgres_url()
    if url is None:
        raise SystemExit("No PostgreSQL server answered on 127.0.0.1; set CAMPAIGNS_BENCH_DATABASE_URL.")
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="cg-bench-")
    lines: list[str] = []
    try:
        for size in SIZES:
            with sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool).connect() as c:
                c.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            app = build(url, size)
            client = app.test_client()  # type: ignore[attr-defined]
            signed_in = client.post("/sign-in", data={"email": OWNER_EMAIL, "password": PASSWORD})
            assert signed_in.status_code == 302, "the bench owner could not sign in"
            with app.app_context():  # type: ignore[attr-defined]
                statement = db.session.scalars(sa.select(Statement)).one()
                statement_id, settings = statement.id, settings_for(statement)
                lead_id = statement.lead_organisation_id
            for label, path, rows in (
                (
                    "owners' CSV",
                    "/statements/bench-statement/signatures.csv",
                    lambda statement_id=statement_id, lead_id=lead_id: exports.owner_rows(statement_id, lead_id),
                ),
                (
                    "public CSV",
                    "/s/bench-statement/signatories.csv",
                    lambda statement_id=statement_id, settings=settings: exports.public_rows(
                        statement_id, settings, Filters()
                    ),
                ),
            ):
                reader = client if label == "owners' CSV" else app.test_client()  # type: ignore[attr-defined]
                sql, parameters = captured_query(app, rows)
                floor, floor_bytes, _ = measure(copy_rows(app, sql, parameters))
                took, got_bytes, growth = measure(download(reader, path))
                rows = last_rows[0]
                lines.append(
                    f"{size:<11,} {label:<13} {rows:>10,} {floor:>9.2f} s {took:>9.2f} s {took / floor:>6.1f}x "
                    f"{rows / took:>10,.0f} {got_bytes / 1e6:>8.1f} MB {growth / 1024:>8.1f} MB"
                )
                del floor_bytes
            with app.app_context():  # type: ignore[attr-defined]
                db.engine.dispose()
    finally:
        if created:
            drop_postgres(created)
    print(f"\nCSV downloads against COPY ... TO STDOUT of the same rows (PostgreSQL, p50 of {ROUNDS} runs)\n")
    print(
        f"{'Signatures':<11} {'Download':<13} {'Rows':>10} {'COPY':>11} {'Download':>11} {'Ratio':>7} "
        f"{'Rows/s':>10} {'Size':>11} {'Peak +RSS':>11}"
    )
    print("-" * 104)
    print("\n".join(lines))
    print("\nGoal: each download within 3x of COPY, with peak memory flat whatever the size.")


if __name__ == "__main__":
    main()
