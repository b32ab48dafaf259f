"""The email updates blueprint."""

from __future__ import annotations

from flask import Blueprint

from campaigns.mailings import queries

bp = Blueprint("mailings", __name__)


@bp.app_context_processor
def _published_updates() -> dict[str, object]:
    """For the statement's public page: its newest published updates."""
    return {"published_updates": queries.published_updates}
