"""The webhooks blueprint: an organisation's endpoints and their deliveries, for its admins."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("webhooks", __name__)
