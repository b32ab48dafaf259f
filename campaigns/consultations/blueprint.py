"""The consultations blueprint, and the words for time left before a consultation closes."""

from __future__ import annotations

from flask import Blueprint

from campaigns.consultations.deadlines import time_left
from campaigns.consultations.queries import response_to, responses_for
from campaigns.statements.markdown import render_markdown

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def consultation_helpers() -> dict[str, object]:
    return {
        "time_left": time_left,
        "consultation_response_to": response_to,
        "consultation_responses_for": responses_for,
        "answer_html": render_markdown,
    }
