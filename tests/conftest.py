"""Fixtures: the app on each database backend, a client, a real SMTP server, the mail worker, a browser.

Every test that uses the database runs once on SQLite and, when CAMPAIGNS_TEST_DATABASE_URL is
set, once more on PostgreSQL. The run ends by saying how many tests ran on each.
"""

from __future__ import annotations

import contextvars
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings

from campaigns import create_app
from campaigns.database import sqlite_autocommit
from campaigns.extensions import db, limiter
from campaigns.outbox.worker import Worker
from tests.support.client import Client
from tests.support.databases import BACKENDS, DatabaseUnderTest
from tests.support.smtp import Received, SmtpServer, free_port

pytest_plugins = ["tests.support.browser"]

# Generated-input tests are the same on every run (derandomized, no example database), bounded by their
# max_examples rather than by time: a busy CI machine makes them slower, never different or flaky.
settings.register_profile(
    "common-ground", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("common-ground")

SECRET_KEY = "test-secret-key-not-for-production"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUnderTest]:
    test_database = DatabaseUnderTest.create(request.param, tmp_path_factory.mktemp(request.param))
    yield test_database
    test_database.drop()


def app_config(database_url: str, smtp_server: SmtpServer, base_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CAMPAIGNS_BASE_URL": base_url,
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "Common Ground <no-reply@commonground.example.org>",
        "RATELIMIT_STORAGE_URI": "memory://",
        "CAMPAIGNS_MAIL_RETRY_SECONDS": 60,
        "CAMPAIGNS_MAIL_POLL_SECONDS": 0.05,
    }


@pytest.fixture(scope="session")
def live_server_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def _app(
    database: DatabaseUnderTest,
    smtp_server: SmtpServer,
    live_server_port: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(app_config(database.url, smtp_server, f"http://127.0.0.1:{live_server_port}"))
    app.test_client_class = Client
    database.migrate(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app: Flask, database: DatabaseUnderTest, smtp_server: SmtpServer) -> Iterator[Flask]:
    """The app, with an application context for the test and a database emptied afterwards.

    The test's own SQLite statements each commit on their own: a test that reads while a browser or a
    worker writes must neither hold a lock nor read an old snapshot. Requests and workers keep the
    app's own behaviour.
    """
    with _app.app_context(), sqlite_autocommit():
        yield _app
        db.session.rollback()
    database.reset(_app)
    # The emptied database numbers its activity log from 1 again, so a kept page's tag could come back.
    _app.extensions.pop("campaigns_page_cache", None)
    with _app.app_context():
        limiter.reset()
    smtp_server.clear()


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def deliver(app: Flask, smtp_server: SmtpServer) -> Callable[[], list[Received]]:
    """Run the mail worker until nothing is due; returns the messages the SMTP server received meanwhile."""

    def run() -> list[Received]:
        db.session.commit()
        before = len(smtp_server.messages)
        contextvars.Context().run(Worker(app).run, once=True)
        db.session.expire_all()
        return smtp_server.messages[before:]

    return run


@pytest.fixture
def backend(database: DatabaseUnderTest) -> str:
    return database.backend


# Counting tests per database backend, reported at the end of the run. A test's backend is the
# `database` parameter in its id ("test_x[sqlite]", "test_x[postgresql-...]"), which is also how it
# reaches the controller when pytest-xdist runs the tests in worker processes.


def _backend(report: Any) -> str | None:
    nodeid = getattr(report, "nodeid", "")
    if not nodeid.endswith("]") or "[" not in nodeid:
        return None
    ids = set(nodeid[nodeid.rindex("[") + 1 : -1].split("-"))
    return next((backend for backend in ("sqlite", "postgresql") if backend in ids), None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    outcomes: dict[str, Counter[str]] = {backend: Counter() for backend in ("sqlite", "postgresql")}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            backend = _backend(report)
            if backend and (report.when == "call" or outcome in ("skipped", "error")):
                outcomes[backend][outcome] += 1
    terminalreporter.section("database backends")
    for backend, counts in outcomes.items():
        if backend == "postgresql" and "postgresql" not in BACKENDS:
            terminalreporter.write_line(
                "postgresql: not run (set CAMPAIGNS_TEST_DATABASE_URL to run every database test on it)"
            )
            continue
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
        terminalreporter.write_line(f"{backend}: {sum(counts.values())} tests ({summary})")


def pytest_configure(config: pytest.Config) -> None:
    Path("test-artifacts").mkdir(exist_ok=True)
