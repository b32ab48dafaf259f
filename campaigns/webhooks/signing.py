"""Standard Webhooks signatures (https://www.standardwebhooks.com/): each delivery carries `webhook-id`,
`webhook-timestamp` (Unix seconds) and `webhook-signature`: `v1,` and the base64 of the HMAC-SHA256, keyed with the
endpoint's secret (the bytes after `whsec_`, base64-decoded), of `<id>.<timestamp>.<body>`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    """A new endpoint secret: `whsec_` and the base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_event_id() -> str:
    """A new, unique event id (`msg_` and 27 random characters), the `webhook-id` of every delivery of it."""
    return "msg_" + secrets.token_urlsafe(20)


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header's value for this delivery."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    digest = hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header a delivery is sent with."""
    return {
        "content-type": "application/json",
        "user-agent": "CommonGround-Webhooks/1",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, event_id, timestamp, body),
    }
