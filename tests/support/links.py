"""Working with links from emails, and making signed links as they would have been made in the past."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def token_made_ago(purpose: str, payload: dict[str, Any], seconds: int) -> str:
    """A token for `purpose` signed `seconds` ago, to test expiry without waiting."""

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"campaigns.{purpose}", signer=Backdated)
    return serializer.dumps(payload)
