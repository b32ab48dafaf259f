"""The submissions blueprint: targets, submissions of a statement, dashboards and feeds."""

from __future__ import annotations

from datetime import date

from flask import Blueprint

from campaigns.submissions import lateness, queries
from campaigns.submissions.workdays import today_in_london

bp = Blueprint("submissions", __name__)


@bp.app_template_filter("day")
def format_day(value: date | None) -> str:
    """A calendar date, GOV.UK style: "25 November 2026"."""
    return "" if value is None else f"{value.day} {value:%B %Y}"


def _today() -> date:
    return today_in_london()


@bp.app_context_processor
def submission_helpers() -> dict[str, object]:
    """What submissions' templates are given: lateness, today in the UK and where a statement was sent."""
    return {
        "standing": lateness.standing,
        "waiting_days": lateness.waiting_days,
        "today": _today,
        "sent_to": queries.public_for_statement,
    }
