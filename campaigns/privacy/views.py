"""Personal data pages: deleting one's account, and a platform admin deleting one for someone."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.accounts import guard
from campaigns.accounts.services import InvalidCredentials
from campaigns.accounts.sessions import end_session
from campaigns.extensions import db, limiter
from campaigns.organisations.permissions import require_platform_admin
from campaigns.pages import render_form, too_many
from campaigns.privacy import (
    queries,
    records_views,  # noqa: F401  (the records page registers on import)
    services,
)
from campaigns.privacy.blueprint import bp
from campaigns.privacy.forms import AdminDeleteAccountForm, DeleteAccountForm

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
