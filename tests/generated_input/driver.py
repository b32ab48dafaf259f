"""Sends every route, as every role, what hypothesis makes of its path, query and form; checks each answer."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

import flask
from flask import Flask
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.test import TestResponse, encode_multipart

from campaigns.accounts.guard import BROWSER_COOKIE
from campaigns.extensions import db, limiter
from tests.factories import PASSWORD
from tests.generated_input.state import Snapshot, Writes, changed_tables, fingerprint, stored_files
from tests.generated_input.values import (
    EXTRA_NAMES,
    FILES,
    HUGE_NUMBER,
    QUERY_NAMES,
    FormSpec,
    hostile_segment,
    hostile_value,
    parse_page,
    value_for,
)
from tests.generated_input.world import ROLES, World
from tests.support.databases import DatabaseUnderTest

METHODS = ("GET", "POST")
#: Path values every variable of every route gets (the others real), as a visitor and as a co-author.
PATH_PROBES = ("café", "a\x00b", HUGE_NUMBER, "../x", "-1")
PROBE_ROLES = ("anonymous", "co-author")
#: Cookies a browser keeps between requests: the session and the "known browser" mark.
COOKIES = ("session", BROWSER_COOKIE)
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class Case:
    """One request's worth of input, the same for every role."""

    path: tuple[tuple[str, str], ...]
    query: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] | None = None
    files: tuple[tuple[str, str, bytes], ...] = ()


def routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every rule in the app and each of its methods we drive: nothing is listed by hand."""
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
    return [(rule, method) for rule in rules for method in METHODS if method in (rule.methods or ())]


def refused(response: TestResponse) -> bool:
    """A 4xx, a form shown again with its errors, or a redirect to sign in first."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200 and b"govuk-error-summary" in response.data:
        return True
    location = urlsplit(response.headers.get("Location", ""))
    return response.status_code in (302, 303) and location.path == "/sign-in" and "next=" in location.query


class Driver:
    def __init__(self, app: Flask, world: World, database: DatabaseUnderTest) -> None:
        self.app = app
        self.world = world
        self.database = database
        self.clients = {role: app.test_client() for role in ROLES}
        self.cookies: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, str] = {}
        self.forms: dict[str, list[FormSpec]] = defaultdict(list)
        self.query_names = set(QUERY_NAMES)
        self.matched: set[str] = set()
        self.sent: set[tuple[str, str, str]] = set()
        self.requests = 0
        self.changes = 0
        self.writes = Writes(db.engine)

    def sign_in(self) -> None:
        """Each role signs in once; its cookies and CSRF token are put back before each request.

        The world, with everyone signed in, is what every request starts from.
        """
        for role, client in self.clients.items():
            email = self.world.users[role]
            if email is not None:
                signed_in = client.post("/sign-in", data={"email": email, "password": PASSWORD})
                assert signed_in.status_code == 302, f"{role} could not sign in"
            self.tokens[role] = client.csrf_token()
            self.cookies[role] = {
                name: cookie.value for name in COOKIES if (cookie := client.get_cookie(name)) is not None
            }
        self.snapshot = Snapshot.take(self.database)
        self.print = fingerprint()

    @contextmanager
    def recording(self) -> Iterator[None]:
        def started(_sender: Flask, **_: object) -> None:
            if flask.request.url_rule is not None:
                self.matched.add(flask.request.url_rule.rule)

        with flask.request_started.connected_to(started, self.app), self.writes:
            yield

    # Sending, and checking the answer

    def send(self, rule: Rule, method: str, role: str, case: Case) -> TestResponse:
        client = self.clients[role]
        for name in COOKIES:
            client.delete_cookie(name)
        for name, value in self.cookies[role].items():
            client.set_cookie(name, value)
        url = _ARGUMENT.sub(lambda m: quote(dict(case.path)[m.group(1)], safe=""), rule.rule)
        if case.query:
            url += "?" + urlencode(case.query)
        data: MultiDict | bytes | None = None
        content_type = None
        if method == "POST":
            data = MultiDict([pair for pair in case.form or () if pair[0] != "csrf_token"])
            data["csrf_token"] = self.tokens[role]
            if case.files:
                for name, filename, content in case.files:
                    data.add(name, FileStorage(io.BytesIO(content), filename))
                # Encoded here, in memory: the test client would spool a large body to a file it never closes.
                boundary, data = encode_multipart(data)
                content_type = f"multipart/form-data; boundary={boundary}"
        self.writes.committed = False
        try:
            response = client.open(url, method=method, data=data, content_type=content_type)
        except Exception as error:  # the app's exceptions reach the test: a 500 in production
            raise AssertionError(f"{method} {url[:300]!r} as {role}: {error!r}") from error
        self.requests += 1
        self.sent.add((rule.rule, method, role))
        assert response.status_code < 500, f"{method} {url[:300]!r} as {role}: {response.status_code}"
        if not self.writes.committed and stored_files() == self.print["<uploaded files>"]:
            return response
        after = fingerprint()
        if after == self.print:
            return response
        # Something changed: back to the world as built (first, so that a failure leaves no trace for the next).
        changed = changed_tables(self.print, after)
        self.changes += 1
        self.snapshot.restore()
        restored = fingerprint()
        assert restored == self.print, f"the world could not be restored: {changed_tables(self.print, restored)}"
        assert not refused(response), (
            f"{method} {url[:300]!r} as {role} was refused ({response.status_code}) but changed {changed}"
            + _summary(response)
        )
        return response

    # The crawl: every page with real values, as every role; the forms it offers are what the posts start from

    def crawl(self) -> None:
        for rule, method in routes(self.app):
            if method != "GET":
                continue
            pools = {name: self.world.real_values(rule.endpoint, rule.rule, name) for name in rule.arguments}
            if any(not pool for pool in pools.values()):
                continue
            for i in range(min(2, max((len(pool) for pool in pools.values()), default=1))):
                case = Case(tuple((name, pool[i % len(pool)]) for name, pool in sorted(pools.items())))
                for role in ROLES:
                    response = self.send(rule, "GET", role, case)
                    if response.status_code == 200 and response.mimetype == "text/html":
                        self.learn(response)

    def learn(self, response: TestResponse) -> None:
        adapter = self.app.url_map.bind("localhost")
        request_path = response.request.path
        page = parse_page(request_path, response.get_data(as_text=True))
        for form in page.forms:
            if form.method == "GET":
                self.query_names |= set(form.names())
                continue
            try:
                endpoint, _values = adapter.match(urlsplit(form.action).path, method="POST")
            except HTTPException:
                continue
            known = self.forms[endpoint]
            if len(known) < 4 and all(spec.names() != form.names() for spec in known):
                known.append(form)

    # Each path variable in turn set to what most often breaks a lookup, the others real

    def probe_paths(self) -> None:
        for rule, method in routes(self.app):
            pools = {name: self.world.real_values(rule.endpoint, rule.rule, name) for name in rule.arguments}
            specs = self.forms.get(rule.endpoint, [])
            form = tuple((n, v) for n, vs in specs[0].defaults().items() for v in vs) if specs else ()
            for name in sorted(rule.arguments):
                for probe in PATH_PROBES:
                    path = tuple((n, probe if n == name else (pool or [probe])[0]) for n, pool in sorted(pools.items()))
                    for role in PROBE_ROLES:
                        self.send(rule, method, role, Case(path, form=form if method == "POST" else None))

    # Generated input

    def cases(self, rule: Rule, method: str) -> st.SearchStrategy[Case]:
        segments = []
        for name in sorted(rule.arguments):
            real = self.world.real_values(rule.endpoint, rule.rule, name)
            value = st.one_of(st.sampled_from(real), hostile_segment) if real else hostile_segment
            segments.append(st.tuples(st.just(name), value))
        query = st.lists(
            st.tuples(st.sampled_from(sorted(self.query_names)), hostile_value), max_size=3 if method == "GET" else 1
        )
        if method == "GET":
            return st.builds(Case, st.tuples(*segments), query.map(tuple))
        return _posts(st.tuples(*segments), query.map(tuple), self.forms.get(rule.endpoint, []))

    def fuzz(self, rule: Rule, method: str, max_examples: int, regressions: list[Case]) -> None:
        @settings(max_examples=max_examples)
        @given(case=self.cases(rule, method))
        def every_role(case: Case) -> None:
            limiter.reset()
            for role in ROLES:
                self.send(rule, method, role, case)

        for case in regressions:
            every_role = example(case=case)(every_role)
        every_role()
        assert fingerprint() == self.print, f"{method} {rule.rule} changed the database without a write we saw"


@st.composite
def _posts(draw: st.DrawFn, path: st.SearchStrategy, query: st.SearchStrategy, specs: list[FormSpec]) -> Case:
    """The page's own form as a browser would send it, with some fields dropped and some hostile."""
    spec = draw(st.sampled_from(specs)) if specs else None
    body = (spec.filled() if draw(st.booleans()) else spec.defaults()) if spec else {}
    names = spec.names() if spec else []
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            body.pop(name, None)
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(names + EXTRA_NAMES))
        body[name] = [draw(value_for(spec, name))]
    files = []
    for f in spec.fields if spec else []:
        if f.kind == "file" and draw(st.booleans()):
            files.append((f.name, *draw(st.sampled_from(FILES))))
    form = tuple((name, value) for name, values in sorted(body.items()) for value in values)
    return Case(draw(path), draw(query), form, tuple(files))


def _summary(response: TestResponse) -> str:
    """The page's heading and first error, to say what the app made of the request."""
    text = response.get_data().decode(errors="replace")
    found = re.findall(r"<h1[^>]*>(.*?)</h1>|govuk-error-summary__list.*?<a[^>]*>(.*?)</a>", text, re.S)
    return ": " + " / ".join(" ".join(part.split()) for pair in found[:2] for part in pair if part)
