"""The consultations blueprint, and the words for time left before a consultation closes."""

from __future__ import annotations

from flask import Blueprint

from campaigns.consultations.deadlines import time_left

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def consultation_helpers() -> dict[str, object]:
    return {"time_left": time_left}
