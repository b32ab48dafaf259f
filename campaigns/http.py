"""HTTP concerns for every response: security headers and styled error pages."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from campaigns.errors import DomainError
from campaigns.extensions import db

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

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


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages for a signed-in person are never stored by browsers or proxies.
    if current_user and current_user.is_authenticated and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return response


def render_error(status: int, message: str | None = None, *, minimal: bool = False) -> tuple[str, int]:
    heading, explanation = ERROR_PAGES.get(status, ERROR_PAGES[400])
    return (
        render_template(
            "errors/error.html", heading=heading, message=message or explanation, status=status, minimal=minimal
        ),
        status,
    )


def handle_http_exception(error: HTTPException) -> tuple[str, int] | HTTPException:
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code)


def handle_csrf_error(_error: CSRFError) -> tuple[str, int]:
    return render_error(
        400,
        "This form could not be sent because the page had been open too long or you were signed out. "
        "Go back, reload the page and send the form again.",
    )


def handle_domain_error(error: DomainError) -> tuple[str, int]:
    db.session.rollback()
    return render_error(error.status_code, error.message)


def handle_server_error(error: Exception) -> tuple[str, int]:
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    # The database may be the cause: render without anything that would query it.
    return render_error(500, minimal=True)


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(500, handle_server_error)
