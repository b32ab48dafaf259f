"""The public list of a statement's signatories."""

from __future__ import annotations

from flask import render_template

from campaigns.signatures.blueprint import bp
from campaigns.signatures.panel import panel_for
from campaigns.signatures.sign_views import published


@bp.get("/s/<slug>/signatories")
def signatories(slug: str) -> str:
    statement = published(slug)
    return render_template("signatures/signatories.html", statement=statement, panel=panel_for(statement))
