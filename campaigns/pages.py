"""Small helpers every view uses: rendering a form page with the right status, and safe redirects."""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import render_template
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict


def render_form(template: str, form: FlaskForm, status: int | None = None, **context: Any) -> tuple[str, int]:
    """A form page: 200 when first shown, 400 when it comes back with errors (or `status`)."""
    if status is None:
        status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


class _Waiting(Protocol):
    retry_after: int


def too_many(page: tuple[str, int], refused: _Waiting) -> tuple[str, int, dict[str, str]]:
    """A page refusing for now (429), telling browsers and scripts when to try again."""
    return page[0], page[1], {"Retry-After": str(refused.retry_after)}


#: Fields never carried from one form to the next: the old CSRF token, and the sign-in form's own fields.
_NOT_CARRIED = {"csrf_token", "resume_to", "email", "password", "submit"}


def carried_fields(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    """Every field as sent (several values for a name stay several), to send again from a hidden form."""
    return [(name, value) for name, values in form.lists() if name not in _NOT_CARRIED for value in values]


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, so a crafted link cannot redirect people elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
