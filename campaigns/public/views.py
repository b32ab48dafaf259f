"""Public pages: the home page, the accessibility statement and the privacy notice."""

from flask import render_template

from campaigns.caching import public_page
from campaigns.public.blueprint import bp


@bp.get("/")
@public_page()
def home() -> str:
    return render_template("public/home.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")
