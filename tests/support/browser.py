"""Browser fixtures: the app served on a real port, and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
#: A page of the site meets axe's best practices as well, e.g. every part of it inside a landmark (an email, with
#: its subject for a heading and no landmarks, is held to the WCAG rules only).
AXE_PAGE_TAGS = [*AXE_TAGS, "best-practice"]
#: The email preview's frame holds an email, checked as one on its own.
AXE_PAGE_CONTEXT = {"exclude": [["iframe.app-email-preview"]]}


def chromium_path() -> str | None:
    return os.environ.get("CAMPAIGNS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def watch_for_errors(page: Any) -> None:
    """Collect script errors and CSP violations in `page.console_errors`.

    A 4xx page is expected after a form with errors, so "Failed to load resource" for it is not one.
    """
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded"):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors


@pytest.fixture(scope="session")
def live_server(_app: Flask, live_server_port: int) -> Iterator[str]:
    server = make_server("127.0.0.1", live_server_port, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does this).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: str, app: Flask) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch_for_errors(page)
    yield page
    context.close()
