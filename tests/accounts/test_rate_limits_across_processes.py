"""Sign-in limits as operators run the site: several web processes, sharing their counts through Redis.

Each test starts two real `flask --app wsgi run` processes against the test database and talks to
them over HTTP, as a browser would: it loads the sign-in page, keeps the session cookie and sends
the form back with the page's CSRF token.

Every test gives its processes their own RATELIMIT_KEY_PREFIX and signs in to an address used by no
other run, so runs in parallel or within the last ten minutes never see each other's counts in the
shared Redis. Redis keeps nothing on disk; the counters expire with the ten-minute window.
"""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis

from tests.conftest import SECRET_KEY
from tests.factories import PASSWORD, make_user
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
FLASK_RUN = [sys.executable, "-m", "flask", "--app", "wsgi", "run"]
REDIS_URL = "redis://127.0.0.1:6379/0"
WRONG_PASSWORD = "not the password for this account"
#: Generous: a web process needs about a second to start, more on a busy machine.
DEADLINE_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 30


@dataclass
class Page:
    status: int
    text: str


class _HiddenInputs(HTMLParser):
    """The hidden form fields of a page, by name (the first of each name)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        name = fields.get("name")
        if tag == "input" and fields.get("type") == "hidden" and name and name not in self.values:
            self.values[name] = fields.get("value") or ""


class WebProcess:
    """One `flask --app wsgi run` process, and one browser talking to it that keeps its cookies."""

    def __init__(self, name: str, settings: dict[str, str], tmp_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = tmp_path / f"{name}.log"
        # Nothing of this machine's own settings leaks in: only ours decide the database and the limits.
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CAMPAIGNS_", "RATELIMIT_", "FLASK_", "MAIL_"))
            and key not in ("DATABASE_URL", "SECRET_KEY")
        }
        environment = inherited | settings | {"CAMPAIGNS_INSTANCE_PATH": str(tmp_path / f"{name}-instance")}
        self.cookies: dict[str, str] = {}
        with self.log_path.open("wb") as output:
            self.process = subprocess.Popen(
                [*FLASK_RUN, "--host", "127.0.0.1", "--port", str(self.port), "--no-reload"],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return f"--- {self.name} log ---\n{self.log_path.read_text(errors='replace')}"

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Page:
        headers = {"Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            with connection.getresponse() as response:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for key, morsel in SimpleCookie(header).items():
                        self.cookies[key] = morsel.value
                return Page(response.status, response.read().decode("utf-8"))
        finally:
            connection.close()

    def wait_until_ready(self) -> None:
        """Poll the sign-in page until the process answers it, failing with its log if it does not."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            assert self.process.poll() is None, f"{self.name} exited with {self.process.returncode}\n{self.log()}"
            try:
                page = self.request("GET", "/sign-in")
            except OSError:
                page = None
            if page is not None:
                assert page.status == 200, f"{self.name} answered /sign-in with {page.status}\n{self.log()}"
                return
            assert time.monotonic() < deadline, f"{self.name} did not start within {DEADLINE_SECONDS}s\n{self.log()}"
            time.sleep(0.1)

    def _csrf_token(self) -> str:
        form_page = self.request("GET", "/sign-in")
        assert form_page.status == 200, f"{self.name}: /sign-in answered {form_page.status}\n{self.log()}"
        hidden = _HiddenInputs()
        hidden.feed(form_page.text)
        hidden.close()
        assert "csrf_token" in hidden.values, f"{self.name}: no csrf_token on the sign-in page"
        return hidden.values["csrf_token"]

    def sign_in(self, email: str, password: str) -> Page:
        """Load the sign-in page, then send the form back with its CSRF token."""
        return self.request(
            "POST", "/sign-in", {"csrf_token": self._csrf_token(), "email": email, "password": password}
        )

    def resume(self, email: str, password: str) -> Page:
        """Sign in on the page that keeps a form sent after the session ended, as someone signed out would."""
        form = {"csrf_token": self._csrf_token(), "email": email, "password": password, "resume_to": "/account"}
        return self.request("POST", "/sign-in/resume", form | {"name": "Kept"})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=DEADLINE_SECONDS)


@pytest.fixture
def start_web_processes(app: Any, database: Any, tmp_path: Path) -> Iterator[Callable[[str], list[WebProcess]]]:
    """Start two web processes on the test database with rate-limit counters in `storage_uri`.

    They share one key prefix, new for each call. Every process is stopped when the test ends,
    before the `app` fixture empties the database.
    """
    started: list[WebProcess] = []

    def start(storage_uri: str) -> list[WebProcess]:
        settings = {
            "DATABASE_URL": database.url,
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_KEY_PREFIX": f"common-ground-test-{secrets.token_hex(8)}",
        }
        pair: list[WebProcess] = []
        for name in ("first", "second"):
            pair.append(WebProcess(name, settings, tmp_path))
            started.append(pair[-1])
        for process in pair:
            process.wait_until_ready()
        return pair

    try:
        yield start
    finally:
        for process in started:
            process.stop()


@pytest.fixture
def shared_redis() -> str:
    """The Redis server CI provides; without it the test fails and says so, rather than skipping."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({error}). These tests need it: "
            "start a Redis server on 127.0.0.1:6379 (CI provides one).",
            pytrace=False,
        )
    finally:
        client.close()
    return REDIS_URL


def an_account() -> str:
    """A verified account whose address no other test run uses, so its per-account count starts at 0."""
    email = f"rate-limits-{secrets.token_hex(8)}@example.org"
    make_user(email)
    return email


def assert_refused_sign_in(page: Page, where: str) -> None:
    assert page.status == 400, f"{where}: expected the sign-in form with an error, got {page.status}"
    assert "They did not match" in page.text, f"{where}: the page does not say the details did not match"


def assert_blocked(page: Page, where: str) -> None:
    assert page.status == 429, f"{where}: expected to be blocked, got {page.status}"
    assert "Too many attempts" in page.text
    assert 'class="govuk-service-navigation' in page.text


def test_failed_sign_ins_on_different_web_processes_count_towards_one_limit_when_they_share_redis(
    start_web_processes, shared_redis
):
    email = an_account()
    first, second = start_web_processes(shared_redis)

    for attempt in range(1, 6):
        for process in (first, second):
            assert_refused_sign_in(process.sign_in(email, WRONG_PASSWORD), f"attempt {attempt} on {process.name}")

    for process in (first, second):
        assert_blocked(process.sign_in(email, WRONG_PASSWORD), f"the 11th attempt on {process.name}")


def test_with_in_memory_counters_each_web_process_counts_failed_sign_ins_on_its_own(start_web_processes):
    email = an_account()
    first, second = start_web_processes("memory://")

    for attempt in range(1, 6):
        for process in (first, second):
            assert_refused_sign_in(process.sign_in(email, WRONG_PASSWORD), f"attempt {attempt} on {process.name}")
    # Ten failures in all, yet neither process has seen more than five.
    for process in (first, second):
        assert_refused_sign_in(process.sign_in(email, WRONG_PASSWORD), f"the 11th attempt on {process.name}")

    # The first process blocks the account only once it has seen ten failures itself; the second still has not.
    for attempt in range(7, 11):
        assert_refused_sign_in(first.sign_in(email, WRONG_PASSWORD), f"attempt {attempt} on first")
    assert_blocked(first.sign_in(email, WRONG_PASSWORD), "the 11th attempt on first")
    assert_refused_sign_in(second.sign_in(email, WRONG_PASSWORD), "the 7th attempt on second")


def test_an_account_limited_on_one_process_takes_no_guesses_through_resume_on_another(
    start_web_processes, shared_redis
):
    email = an_account()
    first, second = start_web_processes(shared_redis)
    for attempt in range(1, 11):
        assert_refused_sign_in(first.sign_in(email, WRONG_PASSWORD), f"attempt {attempt} on first")
    assert_blocked(second.resume(email, PASSWORD), "resume on second")
    assert_blocked(first.resume(email, PASSWORD), "resume on first")
