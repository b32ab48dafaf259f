"""Personal data pages: a copy of one's data (signed in, or by address), deleting one's account, and a platform admin
deleting one for someone."""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.accounts import guard
from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.services import InvalidCredentials
from campaigns.accounts.sessions import end_session
from campaigns.errors import InvalidLink, NotFound
from campaigns.extensions import db, limiter
from campaigns.forms import ConfirmForm
from campaigns.organisations.permissions import require_platform_admin
from campaigns.pages import render_form, too_many
from campaigns.privacy import (
    queries,
    records_views,  # noqa: F401  (the records page registers on import)
    services,
)
from campaigns.privacy.blueprint import bp
from campaigns.privacy.forms import AdminDeleteAccountForm, DataRequestForm, DeleteAccountForm

Page = str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def delete_account() -> Page:
    form = DeleteAccountForm()
    alone = queries.organisations_only_they_administer(current_user)
    if alone or not form.validate_on_submit():
        return render_form(
            "privacy/delete_account.html", form, status=409 if alone and form.is_submitted() else None, alone=alone
        )
    try:
        services.delete_account(
            actor=current_user, password=form.password.data, where=guard.source(), suppress=form.suppress.data
        )
    except guard.TooManyAttempts as error:
        form.password.errors.append(error.message)
        return too_many(render_form("privacy/delete_account.html", form, status=error.status_code, alone=[]), error)
    except InvalidCredentials:
        form.password.errors.append("Your password is not correct")
        return render_form("privacy/delete_account.html", form, alone=[])
    except services.LastAdmin as error:  # made the only admin since the page was shown
        db.session.rollback()
        return render_form("privacy/delete_account.html", form, status=error.status_code, alone=error.organisations)
    db.session.commit()
    end_session()
    flash("Your account has been deleted. We have erased your name and email address.", "success")
    return redirect(url_for("public.home"))


@bp.route("/admin/accounts/delete", methods=["GET", "POST"])
@login_required
def admin_delete_account() -> Page:
    require_platform_admin(current_user)
    form = AdminDeleteAccountForm()
    if not form.validate_on_submit():
        return render_form("privacy/admin_delete_account.html", form)
    user = queries.account_by_email(form.email.data)
    if user is None:
        form.email.errors.append("No account has this email address")
        return render_form("privacy/admin_delete_account.html", form)
    if user.id == current_user.id:
        form.email.errors.append("Delete your own account from your account page")
        return render_form("privacy/admin_delete_account.html", form)
    handovers = services.delete_account_for(user, actor=current_user, suppress=form.suppress.data)
    db.session.commit()
    message = "The account has been deleted and the person's name and email address erased."
    for handover in handovers:
        organisation = handover.organisation.name
        if handover.new_admin is not None:
            message += f" {handover.new_admin.name} is now the admin of {organisation}."
        else:
            message += f" {organisation} has no members left."
    flash(message, "success")
    return redirect(url_for("privacy.admin_delete_account"))


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def my_data() -> Page:
    form = ConfirmForm()
    if form.validate_on_submit():
        services.request_data_export(actor=current_user)
        db.session.commit()
        flash(
            "We are preparing your data. We will email you a link when it is ready, usually within minutes.", "success"
        )
        return redirect(url_for("privacy.my_data"))
    return render_template("privacy/my_data.html", form=form, downloads=queries.exports_of(current_user)), (
        400 if form.is_submitted() else 200
    )


@bp.post("/account/data/<id:export_id>/download")
@login_required
def my_download(export_id: int) -> Response:
    export = queries.export_by_id(export_id)
    if export is None:
        raise NotFound("There is no such download.")
    path = services.download_for(export, actor=current_user)
    db.session.commit()
    return _send(path)


def _email_key() -> str:
    return "data-email:" + normalise_email(request.form.get("email", ""))[:320]


@bp.route("/data/request", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_email_key)
def request_data() -> Page:
    form = DataRequestForm()
    if not form.validate_on_submit():
        return render_form("privacy/request_data.html", form)
    services.request_data_export_by_email(form.email.data)
    db.session.commit()
    return redirect(url_for("privacy.data_requested"))


@bp.get("/data/requested")
def data_requested() -> str:
    return render_template("privacy/data_requested.html")


@bp.route("/data/<token>", methods=["GET", "POST"])
def download(token: str) -> Page:
    # Following the link shows a button: mail scanners that open links must not use up the single-use link.
    try:
        services.export_for_link(token)
    except InvalidLink as error:
        return render_template("privacy/link_problem.html", message=error.message), 400
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("privacy/download.html", form=form)
    path = services.take_download(token)
    db.session.commit()
    return _send(path)


def _send(path: Path) -> Response:
    response = send_file(
        path, mimetype="application/zip", as_attachment=True, download_name="common-ground-your-data.zip", max_age=0
    )
    response.headers["Cache-Control"] = "no-store"
    return response
