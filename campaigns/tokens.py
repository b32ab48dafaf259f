"""Signed links (email verification, password reset, invitations): tamper-proof and expiring.

Single use comes from binding each token to state that its use changes (an unverified address,
the current password hash, a pending invitation), so a used link no longer matches.

Every secret that arrives in a request (a token in a link, a calendar key, a private link's key) is compared
with `same_secret`, never with `==`: in constant time, as bytes, and anything that is not URL-safe ASCII is
simply not the secret (and never an error). The routes refuse such characters in a token before any view runs
(`refuse_malformed_secrets` in http.py).
"""

from __future__ import annotations

import hmac
import re
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from campaigns.errors import InvalidLink

#: What our tokens and keys are made of: URL-safe base64, hex, and the dots itsdangerous puts between parts.
URL_SAFE = re.compile(r"[A-Za-z0-9_.\-]{1,1000}")


_NOT_VALID = "This link is not valid. Check that you copied the whole link from the email, or ask for a new one."


def is_url_safe(value: object) -> bool:
    return isinstance(value, str) and URL_SAFE.fullmatch(value) is not None


def same_secret(given: object, expected: str | None) -> bool:
    """Whether `given` (from a request: any type, any characters) is the secret `expected`, in constant time."""
    if expected is None or not is_url_safe(given):
        return False
    assert isinstance(given, str)
    return hmac.compare_digest(given.encode("ascii"), expected.encode("utf-8"))


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"campaigns.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta | None, *, expired_message: str) -> dict[str, Any]:
    """The payload of a token made for `purpose`, or InvalidLink with a message a person can act on."""
    if not is_url_safe(token):
        raise InvalidLink(_NOT_VALID)
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()) if max_age else None)
    except SignatureExpired:
        raise InvalidLink(expired_message) from None
    except BadData:  # a wrong signature, or a payload that does not decode
        raise InvalidLink(_NOT_VALID) from None
    if not isinstance(payload, dict):
        raise InvalidLink("This link is not valid.")
    return payload
