"""Keeping what was typed when a form is sent after the session has ended.

A form sent by someone whose session expired is not thrown away: they are asked to sign in on a
page that carries everything they sent in hidden fields, and then to send it again, now signed in
and with a fresh CSRF token. Nothing is saved on the server in between.
"""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request
from flask_login import login_url
from werkzeug.wrappers import Response

from campaigns.accounts import guard, services
from campaigns.accounts.blueprint import bp
from campaigns.accounts.forms import SignInForm
from campaigns.accounts.sessions import start_session
from campaigns.extensions import db, login_manager
from campaigns.pages import carried_fields, safe_next_url, too_many


def _sign_in_page(sign_in: SignInForm, fields: list[tuple[str, str]], resume_to: str, status: int) -> tuple[str, int]:
    return render_template("accounts/resume_sign_in.html", form=sign_in, fields=fields, resume_to=resume_to), status


def signed_out_with_a_form() -> Response | tuple[str, int] | None:
    """Flask-Login's answer to a POST from someone not signed in: ask them to sign in, keeping the form."""
    fields = carried_fields(request.form) if request.method == "POST" else []
    if not fields:
        return None
    return _sign_in_page(SignInForm(formdata=None), fields, request.full_path.rstrip("?"), 401)


@bp.post("/sign-in/resume")
def sign_in_and_resume() -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Sign in and send the kept form again: the same password check, under the same limits, as /sign-in."""
    fields = carried_fields(request.form)
    resume_to = safe_next_url(request.form.get("resume_to")) or "/"
    sign_in = SignInForm()
    if not sign_in.validate():
        return _sign_in_page(sign_in, fields, resume_to, 400)
    try:
        user = services.authenticate(sign_in.email.data, sign_in.password.data, guard.source())
    except guard.TooManyAttempts as error:
        sign_in.email.errors.append(error.message)
        return too_many(_sign_in_page(sign_in, fields, resume_to, error.status_code), error)
    db.session.commit()  # a failed attempt is recorded too, and an unconfirmed address sent a new link
    if isinstance(user, services.NotSignedIn):
        sign_in.email.errors.append(user.message)
        return _sign_in_page(sign_in, fields, resume_to, user.status_code)
    start_session(user)
    return render_template("accounts/resume_send.html", fields=fields, resume_to=resume_to), 200


def unauthorized() -> Response | tuple[str, int]:
    """For a form: keep it (above). For a page: Flask-Login's usual redirect to sign in, and back."""
    kept = signed_out_with_a_form()
    if kept is not None:
        return kept
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def init_app(app: Flask) -> None:
    login_manager.unauthorized_handler(unauthorized)
