"""The outbox blueprint: the platform admins' view of email waiting, sent and failed."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outbox", __name__)
