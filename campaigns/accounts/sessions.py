"""Signed-in sessions: a fresh session on sign-in, idle and absolute time limits, and the user loader."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, flash, request, session
from flask_login import current_user, login_user, logout_user

from campaigns.accounts import queries
from campaigns.accounts.guard import remember_browser
from campaigns.accounts.models import User
from campaigns.database import utcnow
from campaigns.extensions import login_manager

_SIGNED_IN_AT = "signed_in_at"
_LAST_SEEN = "last_seen"
#: Writing the cookie on every request is wasteful; the idle clock moves at this resolution.
_LAST_SEEN_RESOLUTION = 60


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    return queries.user_by_session_key(session_key)


def start_session(user: User) -> None:
    """Sign `user` in with a new session, so nothing from before sign-in carries over.

    The browser is remembered as one `user` has signed in on: the password limits treat it as theirs.
    """
    session.clear()
    login_user(user)
    remember_browser(user)
    now = int(utcnow().timestamp())
    session[_SIGNED_IN_AT] = now
    session[_LAST_SEEN] = now


def end_session() -> None:
    logout_user()
    session.clear()


def enforce_time_limits() -> None:
    """Before each request: sign out a session that has been idle, or open, for too long."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = int(utcnow().timestamp())
    config = current_app.config
    idle = timedelta(minutes=config["CAMPAIGNS_SESSION_IDLE_MINUTES"]).total_seconds()
    maximum = timedelta(hours=config["CAMPAIGNS_SESSION_MAX_HOURS"]).total_seconds()
    signed_in_at = session.get(_SIGNED_IN_AT, 0)
    last_seen = session.get(_LAST_SEEN, 0)
    if now - last_seen > idle or now - signed_in_at > maximum:
        # Keep the CSRF token so a form submitted now fails only on sign-in, not on its token.
        csrf_token = session.get("csrf_token")
        end_session()
        if csrf_token:
            session["csrf_token"] = csrf_token
        flash("You were signed out because your session expired. Sign in again to carry on.", "info")
        return
    if now - last_seen >= _LAST_SEEN_RESOLUTION:
        session[_LAST_SEEN] = now


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    # Flask-Login's "strong" protection signs people out when their IP address changes (mobile, VPN).
    login_manager.session_protection = "basic"
    app.before_request(enforce_time_limits)
