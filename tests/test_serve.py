"""`flask --app wsgi serve`, which `make run` starts: the site and its mail worker together, stopped by Ctrl-C."""

import email
import os
import signal
import subprocess
import sys
import time
import urllib.request
from email.policy import default as default_policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import SECRET_KEY
from tests.factories import PASSWORD
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60

pytestmark = pytest.mark.browser


def _wait_for(condition, what: str, log: Path):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}. Log:\n{log.read_text()}")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_runs_the_site_with_its_mail_worker_and_ctrl_c_stops_both(app, database, browser, tmp_path):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("CAMPAIGNS_", "MAIL_", "FLASK_"))
    } | {
        "DATABASE_URL": database.url,
        "SECRET_KEY": SECRET_KEY,
        "CAMPAIGNS_INSTANCE_PATH": str(tmp_path),
        # No CAMPAIGNS_BASE_URL: serve's links point at the port it was given, not at the default 5000.
        "CAMPAIGNS_MAIL_POLL_SECONDS": "0.2",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "serve", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(lambda: _up(base_url + "/"), "the site", log)
        assert f"Common Ground is running at {base_url}/" in log.read_text()

        page = browser.new_page(base_url=base_url)
        page.goto("/account/register")
        page.get_by_label("Full name").fill("Nina New")
        page.get_by_label("Email address").fill("nina@example.org")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
        page.close()

        # With no MAIL_SERVER the worker writes the confirmation email to the instance folder.
        [eml] = _wait_for(lambda: list((tmp_path / "outbox").glob("*.eml")), "the confirmation email", log)
        message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
        assert message["To"] == "nina@example.org"
        assert f"{base_url}/account/confirm/" in message.get_body(preferencelist=("plain",)).get_content()
        # The worker writes the file, then logs where: on a busy machine the line can come a moment after the file.
        assert _wait_for(lambda: str(eml) in log.read_text(), "the log line naming the email's file", log)
    finally:
        # Ctrl-C in a terminal interrupts the whole foreground process group.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert "Mail worker" in log.read_text() and "stopped after" in log.read_text()
