"""The email updates blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mailings", __name__)
