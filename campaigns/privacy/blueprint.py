"""The personal data blueprint: deleting an account (and, with its own pages, downloading one's data)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__)
