"""Signed links (email verification, password reset, invitations): tamper-proof and expiring.

Single use comes from binding each token to state that its use changes (an unverified address,
the current password hash, a pending invitation), so a used link no longer matches.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from campaigns.errors import InvalidLink


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"campaigns.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta | None, *, expired_message: str) -> dict[str, Any]:
    """The payload of a token made for `purpose`, or InvalidLink with a message a person can act on."""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()) if max_age else None)
    except SignatureExpired:
        raise InvalidLink(expired_message) from None
    except BadSignature:
        raise InvalidLink(
            "This link is not valid. Check that you copied the whole link from the email, or ask for a new one."
        ) from None
    if not isinstance(payload, dict):
        raise InvalidLink("This link is not valid.")
    return payload
