"""The statement owners' settings for collecting signatures."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.privacy import retention
from campaigns.signatures import services
from campaigns.signatures.blueprint import bp
from campaigns.signatures.models import SignatureSettings
from campaigns.signatures.owner_views import owned_statement
from campaigns.signatures.settings_forms import SettingsForm, saved_values
from campaigns.statements.models import Statement


def _page(statement: Statement, form: SettingsForm, status: int | None = None, **context: object) -> tuple[str, int]:
    settings = services.settings_for(statement)
    return render_form(
        "signatures/settings.html",
        form,
        status,
        statement=statement,
        settings=settings,
        launched=services.launched(settings),
        private_link=_private_link(statement, settings),
        retention_maximum=retention.platform_maximum(),
        erase_on=retention.erase_after(statement, settings),
        **context,
    )


def _private_link(statement: Statement, settings: SignatureSettings) -> str | None:
    if settings.private_key is None:  # defaults not saved yet: the key is made when the settings are
        return None
    return url_for("signatures.sign", slug=statement.slug, key=settings.private_key, _external=True)


@bp.route("/statements/<slug>/signatures/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str) -> tuple[str, int] | Response:
    statement = owned_statement(slug)
    form = SettingsForm()
    if request.method == "GET":
        form.fill(services.settings_for(statement))
    if not form.validate_on_submit():
        return _page(statement, form)
    try:
        changed = services.update_settings(
            statement,
            form.to_change(services.settings_for(statement)),
            actor=current_user,
            based_on_version=int(form.version.data or 0),
            acting_for=acting_for(),
        )
    except services.SettingsConflict as conflict:
        db.session.rollback()
        # Keep everything they typed; the form now carries the latest version, so saving again is deliberate.
        form.version.data = str(conflict.settings.version)
        return _page(statement, form, 409, conflict=saved_values(conflict.settings, conflict.changed))
    except services.InvalidSetting as invalid:
        db.session.rollback()
        form[SettingsForm.FIELD_FOR[invalid.field]].errors = [invalid.message]
        return _page(statement, form, 400)
    db.session.commit()
    flash(
        "The settings have been saved." if changed else "Nothing has changed: the settings were already these.",
        "success",
    )
    return redirect(url_for(".settings", slug=statement.slug), 303)


@bp.post("/statements/<slug>/signatures/settings/private-link")
@login_required
def new_private_link(slug: str) -> Response:
    """A new private link; the old one stops working."""
    statement = owned_statement(slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.new_private_link(statement, actor=current_user, acting_for=acting_for())
        db.session.commit()
        flash("There is a new private link. The old one no longer works.", "success")
    return redirect(url_for(".settings", slug=statement.slug, _anchor="private-link"), 303)
