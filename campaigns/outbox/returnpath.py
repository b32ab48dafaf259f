"""Where bounces go: a return path of its own for every message (VERP), so a bounce names the message it is about.

With CAMPAIGNS_BOUNCE_DOMAIN set, message 1234 leaves with the envelope sender `bounces+1234-<check>@<domain>`;
the check is a keyed hash of the number, so a forged bounce cannot suppress someone else's address by guessing.
Without it, the envelope sender is the From address and bounces are matched by the Message-ID they quote.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from email.utils import parseaddr

from flask import current_app

from campaigns.outbox import mime

LOCAL_PART = "bounces"
_VERP = re.compile(rf"{LOCAL_PART}\+(\d+)-([0-9a-f]{{10}})@(.+)", re.IGNORECASE)


def _check(message_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"return-path:{message_id}".encode(), hashlib.sha256).hexdigest()[:10]


def verp_address(message_id: int) -> str | None:
    """The return path for one outbox message, or None when no bounce domain is configured."""
    domain = current_app.config.get("CAMPAIGNS_BOUNCE_DOMAIN")
    if not domain:
        return None
    return f"{LOCAL_PART}+{message_id}-{_check(message_id)}@{domain}"


def envelope_sender(message_id: int) -> str:
    """MAIL FROM for one outbox message: its VERP address, or the From address."""
    return verp_address(message_id) or mime.address(parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1])


def message_for(address: str) -> int | None:
    """The outbox message a VERP address was made for, if it is one of ours and its check matches."""
    found = _VERP.fullmatch(address.strip().strip("<>"))
    domain = current_app.config.get("CAMPAIGNS_BOUNCE_DOMAIN")
    if found is None or not domain or found.group(3).lower() != domain.lower():
        return None
    message_id = int(found.group(1))
    return message_id if hmac.compare_digest(found.group(2).lower(), _check(message_id)) else None
