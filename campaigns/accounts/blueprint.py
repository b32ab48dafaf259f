"""The accounts blueprint: signing up, in and out, passwords and the account page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__)
