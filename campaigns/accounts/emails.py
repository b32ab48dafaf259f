"""Email about a person's own account. Each function only queues a message."""

from __future__ import annotations

from campaigns.accounts.models import User
from campaigns.accounts.passwords import password_fingerprint
from campaigns.outbox.services import queue_email, render_email
from campaigns.tokens import make_token
from campaigns.urls import external_url


def send_verification(user: User) -> None:
    token = make_token("verify-email", {"u": user.id, "e": user.email, "p": password_fingerprint(user.password_hash)})
    queue_email(user.email, "verify_email", user=user, link=external_url("accounts.verify_email", token=token))


def send_confirm_and_choose_password(user: User, token: str) -> None:
    queue_email(
        user.email, "confirm_choose_password", user=user, link=external_url("accounts.reset_password", token=token)
    )


def send_registration_attempt(user: User) -> None:
    """Someone tried to register with an address that already has an account."""
    queue_email(
        user.email,
        "registration_attempt",
        user=user,
        sign_in_link=external_url("accounts.sign_in"),
        reset_link=external_url("accounts.forgotten_password"),
    )


def send_password_reset(user: User, token: str) -> None:
    queue_email(user.email, "password_reset", user=user, link=external_url("accounts.reset_password", token=token))


def render_password_reset_for_timing() -> None:
    render_email("password_reset", recipient="nobody@example.org", user=User(name="", email=""), link="")


def send_password_changed(user: User) -> None:
    queue_email(user.email, "password_changed", user=user, reset_link=external_url("accounts.forgotten_password"))


def send_email_change_confirmation(user: User, new_email: str, token: str) -> None:
    queue_email(
        new_email, "email_change_confirm", user=user, link=external_url("accounts.confirm_email_change", token=token)
    )


def send_email_change_unavailable(user: User, new_email: str) -> None:
    queue_email(new_email, "email_change_unavailable", user=user)


def send_email_change_requested(user: User, new_email: str) -> None:
    queue_email(user.email, "email_change_requested", user=user, new_email=new_email)


def send_email_changed(user: User, old_email: str) -> None:
    queue_email(old_email, "email_changed", user=user, new_email=user.email)
