"""The machinery of the tour of every template: what was rendered, and visiting a page as a role.

A tour is a list of visits, each a function that sends real requests through the test client and asserts
what each role gets. The visits run in order, once per database, against one world built for them all;
Flask's `template_rendered` signal records each page rendered, and every template fetched from the Jinja
environment (a page's layout, an included partial, an imported macro, an email) is recorded as loaded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, request, template_rendered
from flask.signals import request_started
from jinja2 import Environment
from werkzeug.test import TestResponse

from campaigns.extensions import db
from campaigns.outbox.models import OutboxMessage
from tests.support.client import Client
from tests.support.links import path_of

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def every_template() -> set[str]:
    """Every template in the project, as Jinja names it."""
    return {
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in (".html", ".txt", ".svg")
    }


def headings(response: TestResponse) -> list[str]:
    """The text of each <h1> on the page, as a reader sees it."""
    return [" ".join(html.unescape(_TAG.sub(" ", found)).split()) for found in _H1.findall(response.text)]


def visit(
    client: Client,
    url: str,
    status: int = 200,
    heading: str | None = None,
    *,
    method: str = "GET",
    shows: str | None = None,
    **request: Any,
) -> TestResponse:
    """Send one request as the role `client` is signed in as; assert the status that role gets, and the heading
    (or, for a page whose heading is a panel or a picture, something else it `shows`)."""
    response = client.open(url, method=method, **request)
    assert response.status_code < 500, f"{method} {url} failed with {response.status_code}"
    assert response.status_code == status, f"{method} {url}: {response.status_code}, expected {status}"
    if heading is not None:
        found = headings(response)
        assert any(heading in h for h in found), f"{method} {url}: headings {found}, expected {heading!r}"
    if shows is not None:
        assert shows in html.unescape(response.text), f"{method} {url} does not show {shows!r}"
    return response


@dataclass
class Record:
    """What a tour rendered: pages (by the signal), everything fetched from the environment, and endpoints."""

    rendered: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)
    endpoints: set[str] = field(default_factory=set)

    @contextmanager
    def recording(self, app: Flask) -> Iterator[None]:
        def on_render(_sender: Flask, template: Any, **_: Any) -> None:
            self.rendered.add(template.name)

        def on_request(_sender: Flask, **_: Any) -> None:
            if request.url_rule is not None:
                self.endpoints.add(request.url_rule.endpoint)

        env: Environment = app.jinja_env
        original = env.get_template

        def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
            template = original(name, *args, **kwargs)
            self.loaded.add(template.name)
            return template

        env.get_template = get_template  # type: ignore[method-assign]
        try:
            with template_rendered.connected_to(on_render, app), request_started.connected_to(on_request, app):
                yield
        finally:
            del env.get_template


@dataclass
class Tour:
    """The visits, run in order, each at most once; a visit's failure is kept and raised by its own test."""

    visits: list[tuple[str, Callable[[Any], None]]]
    world: Any
    record: Record
    app: Flask
    outcomes: dict[str, BaseException | None] = field(default_factory=dict)

    def _run_through(self, name: str) -> None:
        for visit_name, function in self.visits:
            if visit_name not in self.outcomes:
                try:
                    with self.record.recording(self.app):
                        function(self.world)
                except Exception as error:  # kept, and raised by the visit's own test
                    self.outcomes[visit_name] = error
                else:
                    self.outcomes[visit_name] = None
            if visit_name == name:
                return

    def through(self, name: str) -> None:
        """Run every visit up to and including `name` not run yet; raise what `name` raised."""
        self._run_through(name)
        failure = self.outcomes[name]
        if failure is not None:
            raise failure

    def everything(self) -> list[str]:
        """Run every visit; the names of those that failed."""
        self._run_through(self.visits[-1][0])
        return [name for name, failure in self.outcomes.items() if failure is not None]


#: The heading of the error page for someone who may not see a page, and for a page that is not there (for them).
REFUSALS = {403: "You do not have permission", 404: "Page not found"}


def as_each(world: Any, url: str, statuses: dict[str, int], heading: str | None = None) -> None:
    """Ask for `url` as each role named in `statuses`: a 200 shows `heading`, a refusal its error page, and a
    page that needs signing in sends an anonymous visitor to sign in."""
    for role, status in statuses.items():
        expected = heading if status == 200 else REFUSALS.get(status)
        try:
            response = visit(world.client(role), url, status, expected)
        except AssertionError as error:
            raise AssertionError(f"as {role}: {error}") from None
        if status == 302 and role == "anonymous":
            assert response.headers["Location"].startswith("/sign-in"), f"as {role}: {url} does not ask to sign in"


_LINK = re.compile(r"https?://[^\s<>\"']+")


def emailed(recipient: str, template: str) -> str:
    """The text of the newest email of kind `template` queued for `recipient` (so its templates were rendered)."""
    body = db.session.scalar(
        sa.select(OutboxMessage.text_body)
        .where(OutboxMessage.recipient == recipient, OutboxMessage.template == template)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    assert body is not None, f"No {template} email to {recipient}"
    return body


def emailed_link(recipient: str, template: str, containing: str) -> str:
    """The path of the link in that email, as its reader would follow it."""
    links = [link for link in _LINK.findall(emailed(recipient, template)) if containing in link]
    assert links, f"No link with {containing!r} in the {template} email to {recipient}"
    return path_of(links[0])


def new_client() -> Client:
    """A browser of its own, for someone whose session a visit changes (a new password, a new address)."""
    return current_app.test_client()  # type: ignore[return-value]
