"""`make bench`: Common Ground against a floor, side by side under gunicorn on PostgreSQL.

For each size (signatures, and as many organisations) it builds a database once (migrations, then a bulk load in SQL:
organisations with their name words indexed, confirmed and counted signatures, their counters; VACUUM ANALYZE),
kept between runs and brought up to date by the migrations added since (BENCH_REBUILD=1 builds it again). The
benchmark's own sign-ons stay in it: a few thousand more organisations and signatures a run.

It serves that database twice, with the same number of gunicorn sync workers: the product (wsgi:app) and the floor
(bench/floor/app.py: raw Flask and psycopg, the few queries a well-indexed design needs, a plain template). Then, in
interleaved rounds (floor, product, then product, floor...), a load generator (BENCH_CLIENTS threads, a new
connection per request as gunicorn's sync workers close each one) asks each for:

- the statement page `/s/bench-statement`
- the signatories page `/s/bench-statement/signatories`
- a sign-on POST by someone without an account, for an organisation new to the platform (its name shares the word
  "trust" with every organisation already there; near-duplicates are looked for through the word index), with the
  confirmation email written to the outbox and the audit entry in the same transaction

and prints one table: requests per second, p50 and p99 latency, the workers' CPU per request, SQL statements per
request, and the product's throughput as a fraction of the floor's.

Settings (environment): BENCH_SIZES (default 1000,100000; add 1000000 for the million), BENCH_ROUNDS (3),
BENCH_SECONDS per measurement (5), BENCH_CLIENTS (64), BENCH_WORKERS (gunicorn workers for each app, 4),
BENCH_QUICK=1 (1,000 only, one round of 2 s). PostgreSQL on postgres@127.0.0.1 unless
CAMPAIGNS_BENCH_ADMIN_URL names another server.
"""

from __future__ import annotations

import http.client
import itertools
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade  # noqa: E402
from signatories import build  # noqa: E402

from campaigns import create_app  # noqa: E402
from campaigns.extensions import db  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000" if QUICK else "1000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1" if QUICK else "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "2" if QUICK else "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ADMIN_URL = os.environ.get("CAMPAIGNS_BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SLUG = "bench-statement"
BUILT = "Common Ground benchmark database, complete: {size} signatures"


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A gunicorn serving one app on one port."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        """CPU time (user and system) used so far by the workers."""
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(name: str, url: str, instance: str) -> Server:
    """Start gunicorn for the product ("product") or the floor ("floor") on the database at `url`."""
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    if name == "product":
        environment |= {
            "CAMPAIGNS_ENV": "production",
            "CAMPAIGNS_BASE_URL": f"http://127.0.0.1:{port}",
            "CAMPAIGNS_INSTANCE_PATH": instance,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "RATELIMIT_ENABLED": "false",
        }
        target, folder = "wsgi:app", ROOT
    else:
        environment["FLOOR_DATABASE_URL"] = url
        target, folder = "app:app", ROOT / "bench" / "floor"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning", target]
    process = subprocess.Popen(command, cwd=folder, env=environment)
    server = Server(name, port, process)
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"/s/{SLUG}")
            connection.getresponse().read()
            return server
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"The {name} server stopped on starting (exit {process.returncode})") from None
            time.sleep(0.1)
    server.stop()
    raise SystemExit(f"The {name} server did not answer")


# --- Load --------------------------------------------------------------------------------------------------------


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Caller:
    """One client: asks for one page, again and again, as one visitor (its own cookies)."""

    counter = itertools.count()

    def __init__(self, port: int, page: str, tag: str) -> None:
        self.port, self.page, self.tag = port, page, tag
        self.cookie = ""
        self.token = ""
        self.number = next(Caller.counter)

    def _send(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Cookie": self.cookie} if self.cookie else {}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def prepare(self) -> None:
        """A visitor about to sign has the form (with its CSRF token) first; reading pages needs nothing."""
        if self.page == "sign":
            _status, content = self._send("GET", f"/s/{SLUG}/sign")
            found = CSRF_TOKEN.search(content.decode())
            self.token = found.group(1) if found else ""

    def call(self) -> bool:
        if self.page == "statement":
            return self._send("GET", f"/s/{SLUG}")[0] == 200
        if self.page == "signatories":
            return self._send("GET", f"/s/{SLUG}/signatories")[0] == 200
        n = next(Caller.counter)
        fields = {
            "csrf_token": self.token,
            "signer_name": "Sam Signer",
            "signer_role": "Chair",
            "email": f"signer{self.tag}{n}@bench.example.org",
            "organisation_name": f"Signing Trust {self.tag}x{n}",
            "comment": "We agree.",
            "list_publicly": "y",
            "organisation_type": "vcs:charity",
            "region": "london",
        }
        status, _content = self._send("POST", f"/s/{SLUG}/sign", urllib.parse.urlencode(fields))
        return status == 303


@dataclass
class Measured:
    """What one app did for one page over the rounds."""

    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    queries: int | None = None

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def load(server: Server, page: str, into: Measured, seconds: float = SECONDS) -> None:
    """CLIENTS clients ask `server` for `page` for `seconds`; adds what happened to `into`."""
    tag = secrets.token_hex(3)
    callers = [Caller(server.port, page, tag) for _ in range(CLIENTS)]
    for caller in callers:
        caller.prepare()
    latencies: list[float] = []
    counts = [0, 0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(caller: Caller) -> None:
        mine: list[float] = []
        ok = failed = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                good = caller.call()
            except OSError:
                good = False
            if good:
                mine.append(time.perf_counter() - started)
                ok += 1
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            counts[0] += ok
            counts[1] += failed

    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.monotonic() - started
    into.cpu += server.cpu_seconds() - cpu_before
    into.ok += counts[0]
    into.failed += counts[1]
    into.latencies.extend(latencies)


# --- Statements per request ----------------------------------------------------------------------------------------


def product_queries(url: str, instance: str) -> dict[str, int]:
    """The SQL statements one request for each page sends in the product (in-process, same database)."""
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = instance
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    sent: list[str] = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    found = {}
    tag = secrets.token_hex(3)
    for page, method, path in (
        ("statement", "GET", f"/s/{SLUG}"),
        ("signatories", "GET", f"/s/{SLUG}/signatories"),
        ("sign", "POST", f"/s/{SLUG}/sign"),
    ):
        for attempt in range(2):  # the second, warm
            data = None
            if method == "POST":
                data = {
                    "signer_name": "Sam Signer",
                    "signer_role": "Chair",
                    "email": f"count{tag}{attempt}@bench.example.org",
                    "organisation_name": f"Signing Trust {tag}q{attempt}",
                    "list_publicly": "y",
                    "organisation_type": "vcs:charity",
                    "region": "london",
                }
            sent.clear()
            response = client.open(path, method=method, data=data)
            assert response.status_code in (200, 303), (path, response.status_code)
        found[page] = len(sent)
    with app.app_context():
        db.engine.dispose()
    return found


def floor_queries(server: Server) -> dict[str, int]:
    found = {}
    for page, path in (("statement", f"/s/{SLUG}"), ("signatories", f"/s/{SLUG}/signatories")):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        found[page] = int(response.getheader("X-Queries") or 0)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    body = urllib.parse.urlencode({"organisation_name": f"Counting Trust {secrets.token_hex(4)}", "email": "c@x.org"})
    connection.request("POST", f"/s/{SLUG}/sign", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    found["sign"] = int(response.getheader("X-Queries") or 0)
    return found


# --- The run -------------------------------------------------------------------------------------------------------

PAGES = (("statement", "Statement page"), ("signatories", "Signatories page"), ("sign", "Sign-on POST"))


def measure_size(size: int) -> dict[tuple[str, str], Measured]:
    url = database_for(size)
    instance = tempfile.mkdtemp(prefix="cg-bench-stack-")
    results = {(page, app): Measured() for page, _label in PAGES for app in ("floor", "product")}
    for page, count in product_queries(url, instance).items():
        results[(page, "product")].queries = count
    servers = {name: serve(name, url, instance) for name in ("floor", "product")}
    try:
        for page, count in floor_queries(servers["floor"]).items():
            results[(page, "floor")].queries = count
        for server in servers.values():  # every worker compiles its templates and opens its connection first
            for page, _label in PAGES:
                load(server, page, Measured(), seconds=0.5)
        for round_number in range(ROUNDS):
            order = ("floor", "product") if round_number % 2 == 0 else ("product", "floor")
            for page, label in PAGES:
                for name in order:
                    load(servers[name], page, results[(page, name)])
                    done = results[(page, name)]
                    print(
                        f"  {size:>9,} round {round_number + 1}/{ROUNDS} {label:<17} {name:<8} "
                        f"{done.rate:8.1f} req/s so far",
                        flush=True,
                    )
    finally:
        for server in servers.values():
            server.stop()
    return results


def table(all_results: dict[int, dict[tuple[str, str], Measured]]) -> str:
    header = (
        "| Measure | Signatures | Floor req/s | Product req/s | Ratio | Floor p50 / p99 ms | Product p50 / p99 ms "
        "| Floor CPU ms/req | Product CPU ms/req | Floor SQL/req | Product SQL/req |"
    )
    lines = [header, "|" + "---|" * 11]
    for page, label in PAGES:
        for size, results in all_results.items():
            floor, product = results[(page, "floor")], results[(page, "product")]
            ratio = product.rate / floor.rate if floor.rate else float("nan")

            def cpu(m: Measured) -> str:
                return f"{m.cpu * 1000 / m.ok:.1f}" if m.ok else "-"

            def failed(m: Measured) -> str:
                return f" ({m.failed} failed)" if m.failed else ""

            lines.append(
                f"| {label} | {size:,} | {floor.rate:,.0f}{failed(floor)} | {product.rate:,.0f}{failed(product)} "
                f"| {ratio:.2f} | {floor.percentile(0.5):,.0f} / {floor.percentile(0.99):,.0f} "
                f"| {product.percentile(0.5):,.0f} / {product.percentile(0.99):,.0f} | {cpu(floor)} | {cpu(product)} "
                f"| {floor.queries} | {product.queries} |"
            )
    return "\n".join(lines)


def main() -> None:
    logging.disable(logging.INFO)
    all_results = {}
    for size in SIZES:
        all_results[size] = measure_size(size)
    print(
        f"\nCommon Ground against the floor: PostgreSQL, gunicorn {WORKERS} sync workers each, {CLIENTS} clients, "
        f"{ROUNDS} interleaved round(s) of {SECONDS:g} s per measure; CPU is the app's workers' (not PostgreSQL's) "
        f"per successful request; machine: {os.cpu_count()} CPUs\n"
    )
    print(table(all_results))


if __name__ == "__main__":
    main()
