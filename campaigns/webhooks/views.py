"""Webhook pages, for an organisation's admins: its endpoints, adding one, an endpoint's deliveries (with "send
again"), rotating its signing secret, turning one off and on, and removing it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.database import utcnow
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission, require
from campaigns.organisations.queries import organisation_by_slug
from campaigns.pages import render_form
from campaigns.templating import format_datetime
from campaigns.webhooks import queries, services
from campaigns.webhooks.blueprint import bp
from campaigns.webhooks.forms import EndpointForm
from campaigns.webhooks.models import WebhookEvent

__all__ = ["bp"]


def _organisation(slug: str) -> Organisation:
    organisation = organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_WEBHOOKS)
    return organisation


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.get("/organisations/<slug>/webhooks")
@login_required
def endpoints(slug: str) -> str:
    organisation = _organisation(slug)
    return render_template(
        "webhooks/endpoints.html", organisation=organisation, endpoints=queries.endpoints_of(organisation)
    )


@bp.route("/organisations/<slug>/webhooks/new", methods=["GET", "POST"])
@login_required
def new_endpoint(slug: str) -> str | Response | tuple[str, int]:
    organisation = _organisation(slug)
    form = EndpointForm()
    if not form.validate_on_submit():
        return render_form("webhooks/new.html", form, organisation=organisation)
    try:
        endpoint = services.register_endpoint(organisation, form.details(), actor=current_user)
    except DomainError as error:
        form.url.errors = [*form.url.errors, error.message]
        return render_form("webhooks/new.html", form, status=error.status_code, organisation=organisation)
    db.session.commit()
    flash("The endpoint has been added. Use its signing secret, below, to check that each delivery is ours.", "success")
    return redirect(url_for("webhooks.endpoint", slug=organisation.slug, endpoint_id=endpoint.id))


@bp.get("/organisations/<slug>/webhooks/<id:endpoint_id>")
@login_required
def endpoint(slug: str, endpoint_id: int) -> str:
    organisation = _organisation(slug)
    found = queries.endpoint_of(organisation, endpoint_id)
    return render_template(
        "webhooks/endpoint.html",
        organisation=organisation,
        hook=found,
        deliveries=queries.deliveries_of(found),
        event_labels={event.value: event.label for event in WebhookEvent},
        form=ConfirmForm(),
        now=utcnow(),
    )


@bp.post("/organisations/<slug>/webhooks/<id:endpoint_id>/enabled")
@login_required
def toggle_endpoint(slug: str, endpoint_id: int) -> Response:
    organisation = _organisation(slug)
    found = queries.endpoint_of(organisation, endpoint_id)
    _confirmed()
    services.set_enabled(found, organisation, not found.is_enabled, actor=current_user)
    db.session.commit()
    flash(f"The endpoint is now {'on' if found.is_enabled else 'off'}.", "success")
    return redirect(url_for("webhooks.endpoint", slug=organisation.slug, endpoint_id=found.id))


@bp.post("/organisations/<slug>/webhooks/<id:endpoint_id>/remove")
@login_required
def remove_endpoint(slug: str, endpoint_id: int) -> Response:
    organisation = _organisation(slug)
    found = queries.endpoint_of(organisation, endpoint_id)
    _confirmed()
    services.remove_endpoint(found, organisation, actor=current_user)
    db.session.commit()
    flash("The endpoint has been removed. Nothing more will be sent to it.", "success")
    return redirect(url_for("webhooks.endpoints", slug=organisation.slug))


@bp.post("/organisations/<slug>/webhooks/<id:endpoint_id>/rotate-secret")
@login_required
def rotate_secret(slug: str, endpoint_id: int) -> Response:
    organisation = _organisation(slug)
    found = queries.endpoint_of(organisation, endpoint_id)
    _confirmed()
    services.rotate_secret(found, organisation, actor=current_user)
    db.session.commit()
    flash(
        "The endpoint has a new signing secret, below: put it in your system's settings. Until "
        f"{format_datetime(found.previous_secret_expires_at)} each delivery is signed with the old secret too.",
        "success",
    )
    return redirect(url_for("webhooks.endpoint", slug=organisation.slug, endpoint_id=found.id))


@bp.post("/organisations/<slug>/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/send-again")
@login_required
def send_again(slug: str, endpoint_id: int, delivery_id: int) -> Response:
    organisation = _organisation(slug)
    found = queries.endpoint_of(organisation, endpoint_id)
    delivery = queries.delivery_of(found, delivery_id)
    _confirmed()
    services.send_again(delivery, organisation, actor=current_user)
    db.session.commit()
    flash(f"Delivery {delivery.event_id} will be sent again in a moment, with the same id.", "success")
    return redirect(url_for("webhooks.endpoint", slug=organisation.slug, endpoint_id=found.id))
