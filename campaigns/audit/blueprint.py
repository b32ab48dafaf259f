"""The activity log blueprint: an organisation's log and the platform's."""

from __future__ import annotations

from flask import Blueprint

from campaigns.audit.descriptions import describe, detail_rows

bp = Blueprint("audit", __name__)
bp.add_app_template_global(describe, "describe_event")
bp.add_app_template_global(detail_rows, "event_details")
