"""make bench, against the floor: the load generator, its measurements, and the SQL statements each page sends."""

from __future__ import annotations

import http.client
import itertools
import os
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import sqlalchemy as sa
from stack_servers import Server, database_cpu_seconds
from stack_settings import CLIENTS, SECONDS, SLUG

from campaigns import create_app
from campaigns.extensions import db

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
    #: PostgreSQL's CPU time meanwhile.
    database_cpu: float = 0.0
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

    cpu_before, database_before = server.cpu_seconds(), database_cpu_seconds()
    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.monotonic() - started
    into.cpu += server.cpu_seconds() - cpu_before
    into.database_cpu += database_cpu_seconds() - database_before
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
