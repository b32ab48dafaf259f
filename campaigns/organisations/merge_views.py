"""Platform admins merge an organisation added twice into the one to keep, and list the merges made."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.organisations import merging, queries
from campaigns.organisations.blueprint import bp
from campaigns.organisations.matching import search
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import require_platform_admin


@bp.route("/admin/organisations/<slug>/merge", methods=["GET", "POST"])
@login_required
def merge(slug: str) -> str | Response | tuple[str, int]:
    """Merge this organisation into another: first choose which (likely duplicates are offered), then confirm."""
    require_platform_admin(current_user)
    organisation = queries.organisation_by_slug(slug)
    q = " ".join(request.values.get("q", "").split())[:100] or organisation.name
    candidates = [o for o in search(q, limit=10) if o.id != organisation.id and o.merged_into_id is None]
    into = db.session.scalar(sa.select(Organisation).where(Organisation.slug == request.values.get("into", "")))
    form = ConfirmForm()
    if into is None or not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(
            "organisations/merge.html", organisation=organisation, candidates=candidates, into=into, q=q, form=form
        ), status
    done = merging.merge(organisation, into, actor=current_user)
    db.session.commit()
    flash(f"{done.merged_name} has been merged into {into.name}.", "success")
    return redirect(url_for("organisations.show", slug=into.slug))


@bp.get("/admin/organisations/merges")
@login_required
def merges() -> str:
    require_platform_admin(current_user)
    return render_template("organisations/merges.html", merges=queries.merges())
