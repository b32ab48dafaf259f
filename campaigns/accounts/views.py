"""Account pages: register, confirm an address, sign in and out, passwords, email and name."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.accounts import guard, resume, services  # noqa: F401  (resume: its page, on the same blueprint)
from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.blueprint import bp
from campaigns.accounts.forms import (
    ActingForForm,
    ChangeEmailForm,
    ChangeNameForm,
    ChangePasswordForm,
    EmailOnlyForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from campaigns.accounts.sessions import end_session, start_session
from campaigns.errors import InvalidLink, PermissionDenied
from campaigns.extensions import db, limiter
from campaigns.forms import ConfirmForm, choices
from campaigns.organisations import acting
from campaigns.organisations.queries import pending_invitations_for
from campaigns.pages import render_form, safe_next_url, too_many


def _email_key() -> str:
    """Rate-limit key for the account named in the form, so one address cannot be hammered from many IPs."""
    return "email:" + normalise_email(request.form.get("email", ""))[:320]


@bp.route("/account/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_email_key)
def register() -> str | Response | tuple[str, int]:
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_form("accounts/register.html", form)
    try:
        services.register(form.name.data, form.email.data, form.password.data)
    except services.WeakPassword as error:
        form.password.errors.append(error.message)
        return render_form("accounts/register.html", form)
    db.session.commit()
    session["check_email"] = normalise_email(form.email.data)
    return redirect(url_for("accounts.check_email"))


@bp.get("/account/check-your-email")
def check_email() -> str:
    return render_template("accounts/check_email.html", email=session.get("check_email"))


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
def verify_email(token: str) -> str | Response | tuple[str, int]:
    # Following the link shows a button: mail scanners that open links must not use up the token.
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("accounts/verify_email.html", form=form)
    try:
        services.verify_email(token)
    except InvalidLink as error:
        return render_template("accounts/link_problem.html", message=error.message, resend=True), 400
    db.session.commit()
    flash("Your email address is confirmed. You can now sign in.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/account/confirm/resend", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_email_key)
def resend_verification() -> str | Response | tuple[str, int]:
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return render_form("accounts/resend_verification.html", form)
    services.resend_verification(form.email.data)
    db.session.commit()
    session["check_email"] = normalise_email(form.email.data)
    return redirect(url_for("accounts.check_email", reason="resend"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    form = SignInForm()
    if not form.validate_on_submit():
        return render_form("accounts/sign_in.html", form)
    try:
        user = services.authenticate(form.email.data, form.password.data, guard.source())
    except guard.TooManyAttempts as error:
        form.email.errors.append(error.message)
        return too_many(render_form("accounts/sign_in.html", form, status=error.status_code), error)
    db.session.commit()  # a failed attempt is recorded too, and an unconfirmed address sent a new link
    if isinstance(user, services.NotSignedIn):
        form.email.errors.append(user.message)
        return render_form("accounts/sign_in.html", form, status=user.status_code)
    start_session(user)
    return redirect(safe_next_url(request.args.get("next")) or url_for("accounts.account"))


@bp.post("/sign-out")
def sign_out() -> Response:
    if current_user.is_authenticated:
        services.sign_out(current_user)
        db.session.commit()
    end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("public.home"))


@bp.route("/account/password/forgotten", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_email_key)
def forgotten_password() -> str | Response | tuple[str, int]:
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return render_form("accounts/forgotten_password.html", form)
    services.request_password_reset(form.email.data)
    db.session.commit()
    session["check_email"] = normalise_email(form.email.data)
    return redirect(url_for("accounts.check_email", reason="reset"))


@bp.route("/account/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        services.user_for_reset_token(token)
    except InvalidLink as error:
        return render_template("accounts/link_problem.html", message=error.message, reset=True), 400
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_form("accounts/reset_password.html", form)
    try:
        user = services.reset_password(token, form.password.data)
    except services.WeakPassword as error:
        form.password.errors.append(error.message)
        return render_form("accounts/reset_password.html", form)
    db.session.commit()
    guard.forgive(user.email, guard.source())
    end_session()
    flash("Your password has been changed. Sign in with your new password.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/account")
@login_required
def account() -> str:
    return render_template(
        "accounts/account.html",
        memberships=acting.my_memberships(),
        invitations=pending_invitations_for(current_user.email),
    )


@bp.route("/account/name", methods=["GET", "POST"])
@login_required
def change_name() -> str | Response | tuple[str, int]:
    form = ChangeNameForm(data={"name": current_user.name} if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_form("accounts/change_name.html", form)
    services.change_name(current_user, form.name.data)
    db.session.commit()
    flash("Your name has been changed.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_form("accounts/change_password.html", form)
    try:
        services.change_password(current_user, form.current_password.data, form.new_password.data, guard.source())
    except guard.TooManyAttempts as error:
        form.current_password.errors.append(error.message)
        return too_many(render_form("accounts/change_password.html", form, status=error.status_code), error)
    except services.InvalidCredentials:
        form.current_password.errors.append("Your current password is not correct")
        return render_form("accounts/change_password.html", form)
    except services.WeakPassword as error:
        form.new_password.errors.append(error.message)
        return render_form("accounts/change_password.html", form)
    db.session.commit()
    start_session(current_user._get_current_object())  # the session key changed; keep this browser signed in
    flash("Your password has been changed. Other browsers signed in to your account have been signed out.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_email() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    form = ChangeEmailForm()
    if not form.validate_on_submit():
        return render_form("accounts/change_email.html", form)
    try:
        services.request_email_change(current_user, form.password.data, form.new_email.data, guard.source())
    except guard.TooManyAttempts as error:
        form.password.errors.append(error.message)
        return too_many(render_form("accounts/change_email.html", form, status=error.status_code), error)
    except services.InvalidCredentials:
        form.password.errors.append("Your password is not correct")
        return render_form("accounts/change_email.html", form)
    except services.DomainError as error:
        form.new_email.errors.append(error.message)
        return render_form("accounts/change_email.html", form)
    db.session.commit()
    flash(
        f"We have sent a link to {normalise_email(form.new_email.data)}. "
        "Your email address will change when you follow it.",
        "success",
    )
    return redirect(url_for("accounts.account"))


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str) -> str | Response | tuple[str, int]:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("accounts/confirm_email_change.html", form=form)
    try:
        user = services.confirm_email_change(token)
    except (InvalidLink, services.EmailUnavailable) as error:
        db.session.rollback()
        return render_template("accounts/link_problem.html", message=error.message), error.status_code
    db.session.commit()
    flash(f"Your email address is now {user.email}.", "success")
    return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.sign_in"))


@bp.route("/account/acting-for", methods=["GET", "POST"])
@login_required
def acting_for() -> str | Response | tuple[str, int]:
    memberships = acting.my_memberships()
    current = acting.acting_for()
    form = ActingForForm(data={"organisation": current.id} if current and request.method == "GET" else None)
    form.organisation.choices = choices((m.organisation_id, m.organisation.name) for m in memberships)
    if not form.validate_on_submit():
        return render_form("accounts/acting_for.html", form)
    organisation = acting.choose(form.organisation.data)
    if organisation is None:  # the choices are their organisations: one they left since the page was shown
        raise PermissionDenied("You are no longer a member of that organisation.")
    flash(f"You are now acting for {organisation.name}.", "success")
    return redirect(safe_next_url(request.args.get("next")) or url_for("accounts.account"))
