"""`make bench`: what rendering a statement's public pages costs, in CPU per request, in-process.

Loads the demo data into a fresh SQLite database, then asks for the statement page and its signatories page as a
reader who is not signed in (no If-None-Match, so every request renders), through the Flask test client, and
prints the CPU time per request (process time, so waiting on other work on a shared machine does not count) and
the SQL statements each page sends. BENCH_RENDERS the requests per page (default 200); BENCH_PROFILE=1 also prints
the top costs of each page (cProfile, cumulative).

Then it serves the same database with gunicorn (2 sync workers) and prints the requests per second a small
thread-based load generator (8 threads, new connection per request, BENCH_SECONDS per page, default 5) gets for
each page.
"""

from __future__ import annotations

import cProfile
import http.client
import io
import logging
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import threading
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
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
THREADS = 8
#: The demo statement with the most signatures.
SLUG = "fair-funding-for-rural-councils"


def build() -> tuple[object, str]:
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
    return app, folder


def throughput(port: int, path: str) -> tuple[float, int]:
    """Requests per second that THREADS threads get from the server for `path` in SECONDS, and any failures."""
    done = [0]
    failed = [0]
    stop = time.monotonic() + SECONDS
    lock = threading.Lock()

    def hammer() -> None:
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                done[0] += ok
                failed[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=hammer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), failed[0]


def served(folder: str, pages: tuple[tuple[str, str], ...]) -> list[tuple[str, float, int]]:
    """Each page's requests per second under gunicorn with 2 workers, on the benchmark's database."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "CAMPAIGNS_INSTANCE_PATH": folder,
        "DATABASE_URL": f"sqlite:///{folder}/bench.db",
        "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": "false",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=environment,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", pages[0][1])
                break
            except OSError:
                time.sleep(0.1)
        for _label, path in pages:  # each worker compiles its templates first
            for _ in range(10):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path)
                connection.getresponse().read()
                connection.close()
        return [(label, *throughput(port, path)) for label, path in pages]
    finally:
        server.terminate()
        server.wait()


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
    app, folder = build()
    pages = (("statement page", f"/s/{SLUG}"), ("signatories page", f"/s/{SLUG}/signatories"))
    rows = [(label, *measure(app, path)) for label, path in pages]
    print(f"\nRendering benchmark (SQLite, demo data, in-process, {REQUESTS} requests each, not signed in)\n")
    print(f"{'Page':<18} {'CPU per request':>16} {'SQL statements':>15}")
    print(f"{'-' * 18} {'-' * 16} {'-' * 15}")
    for label, cpu, statements in rows:
        print(f"{label:<18} {cpu:>13.2f} ms {statements:>15}")
    print(f"\nUnder gunicorn, 2 sync workers, {THREADS} client threads, {SECONDS:g} s per page\n")
    print(f"{'Page':<18} {'Requests/s':>11}")
    print(f"{'-' * 18} {'-' * 11}")
    for label, rate, failed in served(folder, pages):
        print(f"{label:<18} {rate:>11.1f}" + (f"  ({failed} failed)" if failed else ""))
    if os.environ.get("BENCH_PROFILE"):
        for label, path in pages:
            print(f"\nTop costs, {label}:\n{profile(app, path)}")


if __name__ == "__main__":
    main()
