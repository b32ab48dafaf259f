"""A test client that behaves like a browser against a real server.

Each request runs in an empty context, so it gets its own application context (its own `g`,
its own database session, its own signed-in user), exactly as it would in production, even
though the test itself holds an application context open to look at the database.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from typing import Any

import flask
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from werkzeug.test import TestResponse

from campaigns.accounts.models import User
from campaigns.extensions import db
from tests.factories import PASSWORD


class Client(FlaskClient):
    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> TestResponse:  # type: ignore[override]
        """Send a request. A POST of form fields gets a valid CSRF token unless `csrf=False`."""
        data = kwargs.get("data")
        if csrf and kwargs.get("method") == "POST" and (data is None or isinstance(data, dict)):
            data = data or {}
            if "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        # What the test changed is committed, and what it loaded is re-read after the request.
        # (A request sent from another thread, as at_once does, has no test session to look after.)
        in_test = flask.has_app_context()
        if in_test:
            db.session.commit()
        context = contextvars.Context()
        response = context.run(super().open, *args, **kwargs)
        # The body is read in the request's own context too, as a server would: a body streamed with
        # stream_with_context pushes and pops the request's context while it is read.
        response.response = _read_in(context, response.response)
        if in_test:
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """A valid token for this client's session, made as the form page would make it."""

        def make() -> str:
            with self.session_transaction() as stored, self.application.test_request_context():
                flask.session.update(stored)
                token = generate_csrf()
                stored["csrf_token"] = flask.session["csrf_token"]
            return token

        return contextvars.Context().run(make)

    def login(self, user: User, password: str = PASSWORD) -> TestResponse:
        response = self.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, f"Sign-in failed for {user.email}: {response.status_code}"
        return response

    def logout(self) -> TestResponse:
        return self.post("/sign-out")


def _read_in(context: contextvars.Context, body: Any) -> Iterator[bytes]:
    """Read the whole body now, in `context`; hand it back in the pieces the app wrote it in."""

    def read() -> list[bytes]:
        try:
            return list(body)
        finally:
            if hasattr(body, "close"):
                body.close()

    return iter(context.run(read))
