"""Errors under /api/ as RFC 9457 problem details (`application/problem+json`), never as HTML pages.

campaigns.http sends every error of a request under /api/ here (404 and 405 from routing, 429 from the rate
limit, refusals of the domain, 500), so the API answers in one format whatever went wrong.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Response, request

from campaigns.errors import DomainError

PROBLEM_MIMETYPE = "application/problem+json"
PREFIX = "/api/"

#: What each status means to a program; a refusal's own message replaces it.
DETAILS = {
    400: "The request is not valid: check its parameters.",
    401: "This needs an API token: send it as `Authorization: Bearer <token>`.",
    403: "This API token may not read this.",
    404: "Nothing is at this address, or it is not public.",
    405: "This address does not take that method.",
    409: "This cannot be done now.",
    413: "The request is too large.",
    429: "Too many requests: wait before trying again (see Retry-After).",
    500: "Sorry, there is a problem with the service. Try again later.",
}


def is_api_request() -> bool:
    """Whether the request is for the API (its errors are problem details, not pages)."""
    return request.path.startswith(PREFIX)


def problem(status: int, detail: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem details response for `status`, saying `detail` (or what the status means to a program)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
        "status": status,
        "detail": detail or DETAILS.get(status, DETAILS[400]),
        "instance": request.path,
        **extra,
    }
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class InvalidParameters(DomainError):
    """The query string does not fit the operation's parameters (found by spectree against the pydantic model)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{error['name']}: {error['reason']}" for error in errors))
        self.errors = errors


class Unauthorised(DomainError):
    """No API token, or one that is not valid (unknown or revoked)."""

    status_code = 401
