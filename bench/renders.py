"""`make bench`: what rendering a statement's public pages costs, in CPU per request, in-process.

Loads the demo data into a fresh SQLite database, then asks for the statement page and its signatories page as a
reader who is not signed in (no If-None-Match, so every request renders), through the Flask test client, and
prints the CPU time per request (process time, so waiting on other work on a shared machine does not count) and
the SQL statements each page sends. BENCH_RENDERS the requests per page (default 200); BENCH_PROFILE=1 also prints
the top costs of each page (cProfile, cumulative).
"""

from __future__ import annotations

import cProfile
import io
import logging
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from campaigns import create_app  # noqa: E402
from campaigns.demo import load_demo_data  # noqa: E402
from campaigns.extensions import db  # noqa: E402
from campaigns.statements.models import Statement  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_RENDERS", "200"))
#: The demo statement with the most signatures.
SLUG = "fair-funding-for-rural-councils"


def build() -> object:
    """An app on a fresh SQLite database holding the demo data."""
    logging.disable(logging.INFO)
    folder = tempfile.mkdtemp(prefix="cg-bench-renders-")
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = folder
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo_data()
        db.session.commit()
        assert db.session.scalar(sa.select(Statement.id).where(Statement.slug == SLUG)) is not None
    return app


def measure(app: object, path: str) -> tuple[float, int]:
    """CPU milliseconds per request for `path` (after a few to warm up), and the SQL statements one request sends."""
    client = app.test_client()  # type: ignore[attr-defined]
    for _ in range(5):
        assert client.get(path).status_code == 200
    statements: list[str] = []
    with app.app_context():  # type: ignore[attr-defined]
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    client.get(path)
    sa.event.remove(engine, "before_cursor_execute", listener)
    started = time.process_time()
    for _ in range(REQUESTS):
        client.get(path)
    return (time.process_time() - started) * 1000 / REQUESTS, len(statements)


def profile(app: object, path: str) -> str:
    client = app.test_client()  # type: ignore[attr-defined]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(min(REQUESTS, 100)):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def main() -> None:
    app = build()
    pages = (("statement page", f"/s/{SLUG}"), ("signatories page", f"/s/{SLUG}/signatories"))
    rows = [(label, *measure(app, path)) for label, path in pages]
    print(f"\nRendering benchmark (SQLite, demo data, in-process, {REQUESTS} requests each, not signed in)\n")
    print(f"{'Page':<18} {'CPU per request':>16} {'SQL statements':>15}")
    print(f"{'-' * 18} {'-' * 16} {'-' * 15}")
    for label, cpu, statements in rows:
        print(f"{label:<18} {cpu:>13.2f} ms {statements:>15}")
    if os.environ.get("BENCH_PROFILE"):
        for label, path in pages:
            print(f"\nTop costs, {label}:\n{profile(app, path)}")


if __name__ == "__main__":
    main()
