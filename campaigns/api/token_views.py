"""An organisation's API tokens, for its admins: the list (with when each was last used), making one (shown once)
and revoking one."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.api import queries, services
from campaigns.api.blueprint import bp
from campaigns.api.forms import TokenForm
from campaigns.api.models import Scope
from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.organisations import queries as organisation_queries
from campaigns.organisations.permissions import Permission, require
from campaigns.urls import external_url


@bp.route("/organisations/<slug>/api-tokens", methods=["GET", "POST"])
@login_required
def tokens(slug: str) -> str | tuple[str, int]:
    organisation = organisation_queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    form = TokenForm()
    if not form.validate_on_submit():
        return render_template(
            "api/tokens.html",
            organisation=organisation,
            tokens=(tokens := queries.tokens_of(organisation)),
            stopped={token.id for token in tokens if not token.is_revoked and not services.maker_is_admin(token)},
            form=form,
            revoke_form=ConfirmForm(),
            scopes=list(Scope),
        ), (400 if form.is_submitted() else 200)
    token, secret = services.create_token(organisation, actor=current_user, name=form.name.data, scopes=form.chosen())
    db.session.commit()
    # Shown this once, on this page only (never stored, never in a flash or a link); the page is never cached.
    return render_template(
        "api/token_created.html",
        organisation=organisation,
        token=token,
        secret=secret,
        example=external_url("api.own_submissions" if token.may_read_submissions else "api.index"),
    )


@bp.post("/organisations/<slug>/api-tokens/<id:issued_id>/revoke")
@login_required
def revoke(slug: str, issued_id: int) -> Response:
    organisation = organisation_queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    token = queries.token_of(organisation, issued_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("api.tokens", slug=slug))
    services.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(f"The API token “{token.name}” has been revoked: it no longer works.")
    return redirect(url_for("api.tokens", slug=slug))
