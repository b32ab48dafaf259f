"""The public blueprint: the home page, the accessibility statement and the privacy notice."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
