"""HTTP concerns for every response: security headers and styled error pages."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from typing import Any

from flask import Flask, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from campaigns.api.problems import InvalidParameters, Unauthorised, is_api_request, problem
from campaigns.caching import cache_headers
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.pages import carried_fields
from campaigns.tokens import is_url_safe

log = logging.getLogger(__name__)

#: GOV.UK Frontend's one line that marks the page as having JavaScript before it is first painted, so that the header
#: and menus are not redrawn (a layout shift) when the module script runs at the end. The policy allows exactly this
#: script, by its hash; every other script must be a file of ours.
JS_ENABLED_SNIPPET = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)
JS_ENABLED_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(JS_ENABLED_SNIPPET.encode()).digest()).decode() + "'"

_POLICY = [
    "default-src 'self'",
    f"script-src 'self' {JS_ENABLED_HASH}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
CONTENT_SECURITY_POLICY = "; ".join([*_POLICY, "frame-ancestors 'none'"])
#: For the few responses made to be shown inside other websites (see `frameable`).
FRAMEABLE_POLICY = "; ".join([*_POLICY, "frame-ancestors *"])

#: Heading and explanation for each error page; the message of a DomainError replaces the explanation.
ERROR_PAGES = {
    400: ("There is a problem with your request", "Check what you entered and try again."),
    403: ("You do not have permission to see this page", "If you think you should, ask an admin of the organisation."),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    ),
    405: ("There is a problem with your request", "This page cannot be used in that way."),
    409: (
        "Someone else made a change first",
        "Nothing you entered has been lost. Go back, check the page again, and retry.",
    ),
    413: ("What you sent is too large", "Shorten what you entered, or send a smaller file, and try again."),
    429: (
        "Too many attempts",
        "You have tried this too many times in a short period. Wait a few minutes, then try again.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you had already saved has been lost.",
    ),
}


#: The largest id a database integer column holds; larger numbers in a URL cannot name anything.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive whole number that fits an id column. Anything else is a 404, never a 500."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def parse_id(raw: str | None) -> int | None:
    """`raw` as an id, or None: only ASCII digits (not "²" or "٣"), and no larger than an id column holds."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """A query-string id, or None when it is missing or could not be an id."""
    return parse_id(request.args.get(name))


#: Control characters other than tab, line feed and carriage return (found by the regex engine, in C: every request's
#: path and values are checked, a form's whole text included).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _unusable(value: str) -> bool:
    return _CONTROL_CHARACTER.search(value) is not None


def refuse_control_characters() -> ResponseReturnValue | None:
    """Before each request: refuse NUL and other control characters anywhere in what was sent.

    Nobody types them, the databases cannot all store them, and they have no place in an email header.
    """
    values = [request.path, *(v for values in request.args.listvalues() for v in values)]
    if request.method not in ("GET", "HEAD"):
        values += [v for values in request.form.listvalues() for v in values]
    if any(_unusable(value) for value in values):
        return render_error(400, "What you sent contains characters we cannot accept. Remove them and try again.")
    return None


#: Route arguments that carry a secret (a signed token, a calendar key). Anything but URL-safe ASCII cannot be
#: one of ours: the page is not found, before the view (or a comparison) ever sees it.
SECRET_ARGUMENTS = frozenset({"token", "key"})


def refuse_malformed_secrets(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    for name, value in (values or {}).items():
        if name in SECRET_ARGUMENTS and not is_url_safe(value):
            abort(404)


def frameable(response: Response) -> Response:
    """Let any website show `response` in a frame (the embeddable widget). Every other response refuses."""
    response.headers["Content-Security-Policy"] = FRAMEABLE_POLICY
    return response


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if headers["Content-Security-Policy"] != FRAMEABLE_POLICY:
        # X-Frame-Options has no "any site": a frameable response relies on frame-ancestors alone.
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages for a signed-in person, or with a flash message or a form, are never stored by browsers or proxies;
    # public pages for readers not signed in may be (see caching). Static files need no user.
    if request.endpoint != "static":
        cache_headers(response)
    return response


def render_error(
    status: int, message: str | None = None, *, heading: str | None = None, minimal: bool = False
) -> ResponseReturnValue:
    """The error page for `status`; under /api/, problem details instead (campaigns.api.problems)."""
    if is_api_request():
        return problem(status, message)
    usual_heading, explanation = ERROR_PAGES.get(status, ERROR_PAGES[400])
    heading = heading or usual_heading
    return (
        render_template(
            "errors/error.html", heading=heading, message=message or explanation, status=status, minimal=minimal
        ),
        status,
    )


def handle_http_exception(error: HTTPException) -> ResponseReturnValue | HTTPException:
    if error.code is None or error.code < 400:
        return error
    if is_api_request():
        # 405 says which methods the address takes; a 429's Retry-After is added by the rate limiter.
        allow = {name: value for name, value in error.get_headers() if name == "Allow"}
        return problem(error.code, headers=allow)
    return render_error(error.code)


def handle_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """The page was open too long, or the browser's session ended: offer to send the same form again."""
    fields = carried_fields(request.form)
    if not fields:
        return render_error(
            400, "This form could not be sent because the page had expired. Go back, reload it and try again."
        )
    return render_template("errors/resend.html", fields=fields, resume_to=request.full_path.rstrip("?")), 400


def handle_domain_error(error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    if isinstance(error, InvalidParameters) and is_api_request():
        return problem(error.status_code, error.message, errors=error.errors)
    if isinstance(error, Unauthorised) and is_api_request():
        return problem(401, error.message, headers={"WWW-Authenticate": 'Bearer realm="Common Ground API"'})
    return render_error(error.status_code, error.message, heading=error.heading)


def handle_server_error(error: Exception) -> ResponseReturnValue:
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    # The database may be the cause: render without anything that would query it.
    return render_error(500, minimal=True)


def handle_concurrent_change(_error: StaleDataError) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(409)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.url_value_preprocessor(refuse_malformed_secrets)
    app.before_request(refuse_control_characters)
    app.after_request(security_headers)
    app.register_error_handler(StaleDataError, handle_concurrent_change)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(500, handle_server_error)
