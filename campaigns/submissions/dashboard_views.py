"""An organisation's dashboard of every submission of the statements it leads or co-authors, and its private
calendar feed of the dates replies are due."""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, render_template, request
from flask_login import current_user, login_required

from campaigns.errors import NotFound
from campaigns.http import id_arg
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission, require
from campaigns.organisations.queries import organisation_by_slug
from campaigns.submissions import ical, queries
from campaigns.submissions.blueprint import bp
from campaigns.submissions.workdays import today_in_london
from campaigns.tokens import same_secret
from campaigns.urls import external_url


def calendar_key(organisation: Organisation) -> str:
    """The secret in an organisation's calendar address: derived from the app's secret, so nothing is stored."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"calendar:{organisation.id}".encode(), hashlib.sha256).hexdigest()[:32]


@bp.get("/organisations/<slug>/submissions")
@login_required
def dashboard(slug: str) -> str:
    organisation = organisation_by_slug(slug)
    require(current_user, organisation, Permission.VIEW_MEMBERS)
    show = request.args.get("show") if request.args.get("show") in queries.FILTERS else None
    target_id = id_arg("target")
    return render_template(
        "submissions/dashboard.html",
        organisation=organisation,
        submissions=queries.for_organisation(organisation, today_in_london(), show=show, target_id=target_id),
        targets=queries.targets_for(),
        show=show,
        target_id=target_id,
        calendar_url=external_url("submissions.calendar", slug=organisation.slug, key=calendar_key(organisation)),
    )


@bp.get("/organisations/<slug>/submissions/<key>.ics")
def calendar(slug: str, key: str) -> Response:
    organisation = organisation_by_slug(slug)
    if not same_secret(key, calendar_key(organisation)):
        raise NotFound("We could not find that calendar.")
    body = ical.feed(organisation, queries.for_organisation(organisation, today_in_london(), show="awaiting"))
    return Response(body, mimetype="text/calendar")
