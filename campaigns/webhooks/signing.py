"""Standard Webhooks signatures (https://www.standardwebhooks.com/): each delivery carries `webhook-id`,
`webhook-timestamp` (Unix seconds) and `webhook-signature`: `v1,` and the base64 of the HMAC-SHA256, keyed with the
endpoint's secret (the bytes after `whsec_`, base64-decoded), of `<id>.<timestamp>.<body>`.

After a secret is rotated, the header carries one signature per secret still in use, space-separated (the new
secret's first): a receiver that checks any of them against the secret it holds keeps working until it changes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

PREFIX = "whsec_"


def new_secret() -> str:
    """A new endpoint secret: `whsec_` and the base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_event_id() -> str:
    """A new, unique event id (`msg_` and 27 random characters), the `webhook-id` of every delivery of it."""
    return "msg_" + secrets.token_urlsafe(20)


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,` signature of this delivery, with one secret (the `webhook-signature` header holds one per secret)."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    digest = hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def secrets_in_use(
    secret: str, previous: str | None, previous_until: datetime | None, now: datetime
) -> tuple[str, ...]:
    """The secrets a delivery at `now` is signed with: the endpoint's, and the one rotated out until its grace
    period ends."""
    if previous is not None and previous_until is not None and now < previous_until:
        return (secret, previous)
    return (secret,)


def headers(keys: Sequence[str], event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header a delivery is sent with, signed with each of the endpoint's secrets in `keys`."""
    return {
        "content-type": "application/json",
        "user-agent": "CommonGround-Webhooks/1",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(key, event_id, timestamp, body) for key in keys),
    }
