"""Accounts: registration, email verification, signing in, passwords and email changes.

No response built from these functions reveals whether an address has an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from campaigns.accounts import emails
from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.guard import Source, check_password
from campaigns.accounts.models import User
from campaigns.accounts.passwords import hash_password, needs_rehash, password_fingerprint, password_problem
from campaigns.accounts.queries import find_user_by_email
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, InvalidLink
from campaigns.extensions import db
from campaigns.tokens import make_token, read_token

VERIFY_EMAIL_MAX_AGE = timedelta(days=3)
PASSWORD_RESET_MAX_AGE = timedelta(minutes=60)
EMAIL_CHANGE_MAX_AGE = timedelta(days=1)


CREDENTIALS_DID_NOT_MATCH = "Enter the email address and password for your account. They did not match."


class InvalidCredentials(DomainError):
    def __init__(self) -> None:
        super().__init__(CREDENTIALS_DID_NOT_MATCH)


@dataclass(frozen=True)
class NotSignedIn:
    """A sign-in that did not sign anyone in but did something to keep: the failed attempt was recorded, or
    a new confirmation link was sent. Commit, then show `message` with `status_code`."""

    message: str
    status_code: int


WRONG_CREDENTIALS = NotSignedIn(CREDENTIALS_DID_NOT_MATCH, 400)
EMAIL_NOT_VERIFIED = NotSignedIn(
    "You need to confirm your email address before you can sign in. "
    "We have sent you a new link: check your inbox and your spam folder.",
    403,
)


class WeakPassword(DomainError):
    pass


class EmailUnavailable(Conflict):
    def __init__(self) -> None:
        super().__init__("That email address now belongs to another account, so it cannot be used for yours.")


def check_password_policy(password: str, *related: str) -> None:
    """Refuse (WeakPassword) a password that is too short, too common or too like the account's own details."""
    problem = password_problem(password, related)
    if problem:
        raise WeakPassword(problem)


def register(name: str, email: str, password: str, *, verified: bool = False) -> User | None:
    """Create an account and email a verification link.

    When the address already has an account, nobody is told here: the owner gets an email instead
    and None is returned, so the caller shows the same "check your email" page either way.
    `verified` is for callers that have already proved the address (an emailed invitation).
    """
    email = normalise_email(email)
    check_password_policy(password, name, email)
    # Hash before looking the address up, so both answers take as long.
    password_hash = hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        _registered_again(existing, name, password_hash)
        return None
    user = User(name=name.strip(), email=email, password_hash=password_hash)
    if verified:
        user.email_verified_at = utcnow()
    try:
        with constraint_errors({"uq_users_email": lambda: Conflict("taken")}):
            db.session.add(user)
    except Conflict:
        # Registered by a concurrent request a moment ago: treat it exactly like an existing account.
        existing = find_user_by_email(email)
        if existing is not None:
            _registered_again(existing, name, password_hash)
        return None
    record("account.registered", user, actor=user)
    if not verified:
        emails.send_verification(user)
    return user


def _registered_again(user: User, name: str, password_hash: str) -> None:
    """Someone registered an address that already has an account.

    A confirmed account belongs to its owner, who is told. An unconfirmed one belongs to nobody yet:
    the latest registration replaces its name and password, and only the link sent for it can confirm
    the account (links carry the password they were sent for). So nobody can register someone else's
    address first and keep the account when its owner signs up.
    """
    if user.email_verified:
        emails.send_registration_attempt(user)
        return
    user.name = name.strip()
    user.password_hash = password_hash
    user.rotate_session_key()
    record("account.registered_again", user, actor=user)
    emails.send_verification(user)


def resend_verification(email: str) -> None:
    """Send an unconfirmed account a link that confirms the address and sets a new password.

    Whoever asks need not know the password, so the link must not confirm one somebody else chose.
    """
    user = find_user_by_email(email)
    if user is not None and not user.email_verified:
        emails.send_confirm_and_choose_password(user, _reset_token(user))


def verify_email(token: str) -> User:
    """Mark the address of the emailed link's account as confirmed; refuse an expired or altered link."""
    payload = read_token(
        "verify-email",
        token,
        VERIFY_EMAIL_MAX_AGE,
        expired_message="This link has expired. Sign in and we will send you a new one.",
    )
    user = db.session.get(User, payload.get("u"))
    if user is None or user.email != payload.get("e") or payload.get("p") != password_fingerprint(user.password_hash):
        raise InvalidLink("This link is no longer valid. Ask for a new one below.")
    if user.email_verified:
        raise InvalidLink("This link has already been used. Your email address is confirmed: you can sign in.")
    user.email_verified_at = utcnow()
    record("account.email_verified", user, actor=user)
    return user


def authenticate(email: str, password: str, where: Source) -> User | NotSignedIn:
    """The user with these credentials, or why not (TooManyAttempts past the limits in guard.py).

    Unknown addresses take as long as wrong passwords. A wrong password for an account is recorded, and an
    unconfirmed address is sent a new link: the caller commits either way.
    """
    user = find_user_by_email(email)
    if not check_password(user, email, password, where):
        if user is not None:
            record("account.sign_in_failed", user, actor=user)
        return WRONG_CREDENTIALS
    assert user is not None
    if not user.email_verified:
        emails.send_verification(user)
        return EMAIL_NOT_VERIFIED
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_signed_in_at = utcnow()
    record("account.signed_in", user, actor=user)
    return user


def sign_out(user: User) -> None:
    """End every session of this account: a copy of the session cookie stops working too."""
    user.rotate_session_key()
    record("account.signed_out", user, actor=user)


def _reset_token(user: User) -> str:
    return make_token("reset-password", {"u": user.id, "p": password_fingerprint(user.password_hash)})


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        # Render the same email for nobody, so both answers take about as long.
        emails.render_password_reset_for_timing()
        return
    emails.send_password_reset(user, _reset_token(user))
    record("account.password_reset_requested", user, actor=user)


def user_for_reset_token(token: str) -> User:
    """The account a password-reset link was sent to, if the link is genuine, unused and under an hour old."""
    payload = read_token(
        "reset-password",
        token,
        PASSWORD_RESET_MAX_AGE,
        expired_message="This link has expired: reset links last 60 minutes. Ask for a new one below.",
    )
    user = db.session.get(User, payload.get("u"))
    if user is None or payload.get("p") != password_fingerprint(user.password_hash):
        raise InvalidLink(
            "This link has already been used. If you still need to reset your password, ask for a new link."
        )
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link (which also proves the address); the link then stops working."""
    user = user_for_reset_token(token)
    check_password_policy(new_password, user.name, user.email)
    _set_password(user, new_password)
    # The link arrived at this address, which proves it.
    if not user.email_verified:
        user.email_verified_at = utcnow()
    record("account.password_reset", user, actor=user)
    return user


def change_password(user: User, current_password: str, new_password: str, where: Source) -> None:
    """Change a signed-in person's password after checking the current one, within the password-guessing limits."""
    if not check_password(user, user.email, current_password, where):
        raise InvalidCredentials()
    check_password_policy(new_password, user.name, user.email)
    _set_password(user, new_password)
    record("account.password_changed", user, actor=user)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    # Any other browser signed in to this account is signed out.
    user.rotate_session_key()
    emails.send_password_changed(user)


def change_name(user: User, name: str) -> None:
    """Change the name a person is shown by, and record the old and new names."""
    old = user.name
    user.name = name.strip()
    record("account.name_changed", user, old=old, new=user.name, actor=user)


def request_email_change(user: User, password: str, new_email: str, where: Source) -> None:
    """Send a confirmation link to the new address; the change happens only when it is followed."""
    if not check_password(user, user.email, password, where):
        raise InvalidCredentials()
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError("That is already your email address")
    if find_user_by_email(new_email) is not None:
        # Tell the owner of the other account, not the requester.
        emails.send_email_change_unavailable(user, new_email)
    else:
        token = make_token("change-email", {"u": user.id, "from": user.email, "to": new_email})
        emails.send_email_change_confirmation(user, new_email, token)
    emails.send_email_change_requested(user, new_email)
    record("account.email_change_requested", user, actor=user)


def confirm_email_change(token: str) -> User:
    """Move the account to the new address the emailed link was sent to, if no other account has it by then."""
    payload = read_token(
        "change-email",
        token,
        EMAIL_CHANGE_MAX_AGE,
        expired_message="This link has expired. Ask for a new one from your account page.",
    )
    user = db.session.get(User, payload.get("u"))
    if user is None or user.email != payload.get("from") or not isinstance(payload.get("to"), str):
        raise InvalidLink("This link has already been used or is no longer valid.")
    old_email = user.email
    with constraint_errors({"uq_users_email": EmailUnavailable}):
        user.email = payload["to"]
        user.email_verified_at = utcnow()
    record("account.email_changed", user, old=old_email, new=user.email, actor=user)
    emails.send_email_changed(user, old_email)
    return user


def create_platform_admin(email: str, name: str, password: str) -> User:
    """For the `create-admin` command: promote an existing account or create a verified one."""
    user = find_user_by_email(email)
    if user is None:
        check_password_policy(password, name, email)
        user = User(name=name.strip(), email=normalise_email(email), password_hash=hash_password(password))
        user.email_verified_at = utcnow()
        db.session.add(user)
    user.is_platform_admin = True
    record("account.platform_admin_granted", user, email=user.email, actor=None)
    return user
