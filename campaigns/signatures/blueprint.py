"""The signatures blueprint: signing on, the public list and the owners' tools hang off a statement's URLs."""

from __future__ import annotations

from flask import Blueprint
from markupsafe import escape

from campaigns.statements.models import Statement
from campaigns.urls import external_url

bp = Blueprint("signatures", __name__)


@bp.app_context_processor
def signature_helpers() -> dict[str, object]:
    from campaigns.signatures.panel import panel_for  # the panel needs the services, which need the app

    return {"signature_panel": panel_for}


@bp.app_template_global()
def sharing_code(statement: Statement) -> dict[str, str]:
    """The HTML partners copy into their websites: the badge linked to the statement, and the widget's frame."""
    title = statement.published_revision.title
    page = escape(external_url("statements.public", slug=statement.slug))
    badge = escape(external_url("signatures.badge", slug=statement.slug))
    embed = escape(external_url("signatures.embed", slug=statement.slug))
    return {
        "badge": f'<a href="{page}"><img src="{badge}" alt="{escape(title)}: organisations that have signed"></a>',
        "embed": (
            f'<iframe src="{embed}" title="{escape(title)}: signatures" width="100%" height="320" loading="lazy" '
            'style="border: 0; max-width: 34rem"></iframe>'
        ),
    }
