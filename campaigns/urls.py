"""Absolute URLs for emails, built from CAMPAIGNS_BASE_URL rather than whichever host a request used."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    base = current_app.config["CAMPAIGNS_BASE_URL"]
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
