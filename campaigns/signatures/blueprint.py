"""The signatures blueprint: signing on, the public list and the owners' tools hang off a statement's URLs."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("signatures", __name__)


@bp.app_context_processor
def signature_helpers() -> dict[str, object]:
    from campaigns.signatures.panel import panel_for  # the panel needs the services, which need the app

    return {"signature_panel": panel_for}
