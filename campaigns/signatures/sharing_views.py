"""The count badge and the embeddable widget for partner websites.

Both may be kept by shared caches for a minute and revalidated (campaigns.caching): they show counts anyone can
see, and partners' pages load them often.
Before the statement's launch they say it is coming soon and show no counts.
"""

from __future__ import annotations

from flask import Response, make_response, render_template

from campaigns.caching import public_page
from campaigns.http import frameable
from campaigns.signatures.blueprint import bp
from campaigns.signatures.panel import cache_parts, panel_for
from campaigns.statements.queries import published_by_slug

#: Roughly how wide a character of the badge's 11px sans-serif is, for sizing its two parts.
CHARACTER_WIDTH = 6.5


@bp.get("/s/<slug>/badge.svg")
@public_page(cache_parts)
def badge(slug: str) -> Response:
    statement = published_by_slug(slug)
    panel = panel_for(statement)
    if panel.public:
        total = panel.totals.total
        label, value = "Signed by", f"{total} {'organisation' if total == 1 else 'organisations'}"
    else:
        label, value = "Signatures", "coming soon"
    label_width, value_width = (round(len(text) * CHARACTER_WIDTH) + 16 for text in (label, value))
    response = make_response(
        render_template(
            "signatures/badge.svg",
            label=label,
            value=value,
            label_width=label_width,
            value_width=value_width,
        )
    )
    response.mimetype = "image/svg+xml"
    return response


@bp.get("/s/<slug>/embed")
@public_page(cache_parts)
def embed(slug: str) -> Response:
    """A small page for partner websites to show in a frame: the title, the counts, and a way to sign."""
    statement = published_by_slug(slug)
    response = make_response(render_template("signatures/embed.html", statement=statement, panel=panel_for(statement)))
    return frameable(response)
