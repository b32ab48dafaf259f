"""The one password check. Every path that takes a password checks it here, under the same limits: signing in,
signing in to send a kept form, changing the password or the email address, and any later re-authentication.
(Only this module calls `verify_password`; tests/accounts/test_password_guard.py keeps it that way.)

Limits count wrong passwords; a right one gives its attempt back. Each attempt is counted *before* the password
is checked, atomically in the shared rate-limit storage, so guesses sent all at once get no further than guesses
sent one by one. They are:

- from one IP address, whatever the account: 30 in 10 minutes (one source trying many accounts);
- for one account from one IP address: 10 in 10 minutes;
- for one account from every browser it has not been signed in on before, whatever their IP addresses:
  20 an hour and 50 a day, so guesses spread over many addresses slow down more and more;
- for one account from a browser it *has* been signed in on (a signed "known browser" cookie, set at
  sign-in): 10 in 10 minutes and 50 a day for that browser alone, and none of the limits above.

So a stranger who types wrong passwords for someone's address can at worst hold up sign-ins from browsers that
person has never used; their own browsers carry on, and resetting the password (which proves the address)
lifts the hold.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import after_this_request, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.models import User
from campaigns.accounts.passwords import DUMMY_HASH, verify_password
from campaigns.errors import DomainError
from campaigns.throttle import Allowance, Exhausted, clear, spend

FROM_ONE_ADDRESS = Allowance("password-ip", "30 per 10 minutes")
ACCOUNT_FROM_ONE_ADDRESS = Allowance("password-account-ip", "10 per 10 minutes")
ACCOUNT_FROM_NEW_BROWSERS = Allowance("password-account", "20 per hour; 50 per day")
ACCOUNT_FROM_KNOWN_BROWSER = Allowance("password-known-browser", "10 per 10 minutes; 50 per day")

BROWSER_COOKIE = "commonground_browser"
BROWSER_COOKIE_AGE = timedelta(days=180)
#: A browser shared by a few people remembers each of them; older ones drop off.
_ACCOUNTS_PER_BROWSER = 5


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, refused: Exhausted) -> None:
        super().__init__(
            f"Too many attempts to sign in to this account. Wait {refused.wait}, then try again. "
            "If you have forgotten your password, reset it: that lifts this limit."
            if refused.allowance is not FROM_ONE_ADDRESS
            else f"Too many attempts to sign in from your connection. Wait {refused.wait}, then try again."
        )
        self.retry_after = refused.retry_after


@dataclass(frozen=True)
class Source:
    """Where an attempt comes from: the client's IP address and, if it has one, its known-browser cookie."""

    ip: str
    browser: str | None = None
    accounts: tuple[int, ...] = field(default=())

    def knows(self, user: User | None) -> bool:
        return user is not None and self.browser is not None and user.id in self.accounts


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="campaigns.known-browser")


def source() -> Source:
    """The source of the current request."""
    raw = request.cookies.get(BROWSER_COOKIE)
    if raw:
        try:
            payload = _serializer().loads(raw, max_age=int(BROWSER_COOKIE_AGE.total_seconds()))
        except BadData:
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("b"), str) and isinstance(payload.get("u"), list):
            accounts = tuple(u for u in payload["u"] if isinstance(u, int))
            return Source(get_remote_address(), payload["b"], accounts)
    return Source(get_remote_address())


def _uses(user: User | None, email: str, where: Source) -> list[tuple[Allowance, str]]:
    if user is not None and where.knows(user):
        return [(ACCOUNT_FROM_KNOWN_BROWSER, f"{user.id}:{where.browser}")]
    return [
        (FROM_ONE_ADDRESS, where.ip),
        (ACCOUNT_FROM_ONE_ADDRESS, f"{email}|{where.ip}"),
        (ACCOUNT_FROM_NEW_BROWSERS, email),
    ]


def check_password(user: User | None, email: str, password: str, where: Source) -> bool:
    """Whether `password` is `user`'s (False for no user, after as long); TooManyAttempts if over a limit.

    `email` is the address as typed, so attempts on addresses with no account are limited alike and
    the limits give nothing away about which addresses have one.
    """
    try:
        spent = spend(*_uses(user, normalise_email(email)[:320], where))
    except Exhausted as refused:
        raise TooManyAttempts(refused) from None
    if user is None:
        verify_password(DUMMY_HASH, password)
        return False
    if not verify_password(user.password_hash, password):
        return False
    spent.refund()
    return True


def forgive(email: str, where: Source) -> None:
    """The address was proved another way (a password reset link): lift the holds on signing in to it."""
    email = normalise_email(email)
    clear(ACCOUNT_FROM_NEW_BROWSERS, email)
    clear(ACCOUNT_FROM_ONE_ADDRESS, f"{email}|{where.ip}")


def remember_browser(user: User) -> None:
    """After a sign-in: this browser now counts as known for `user` (the cookie is set on the response)."""
    where = source()
    accounts = [user.id, *(a for a in where.accounts if a != user.id)][:_ACCOUNTS_PER_BROWSER]
    value = _serializer().dumps({"b": where.browser or secrets.token_urlsafe(16), "u": accounts})

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            BROWSER_COOKIE,
            value,
            max_age=int(BROWSER_COOKIE_AGE.total_seconds()),
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        return response
