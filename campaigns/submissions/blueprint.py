"""The submissions blueprint: targets, submissions of a statement, dashboards and feeds."""

from __future__ import annotations

from datetime import date

from flask import Blueprint

bp = Blueprint("submissions", __name__)


@bp.app_template_filter("day")
def format_day(value: date | None) -> str:
    """A calendar date, GOV.UK style: "25 November 2026"."""
    return "" if value is None else f"{value.day} {value:%B %Y}"
