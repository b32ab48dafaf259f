"""One password check for every path that takes a password, with limits nobody can walk around, and that nobody
can use to lock someone else out (campaigns/accounts/guard.py explains the limits)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.services import _reset_token
from campaigns.extensions import db
from campaigns.organisations.emails import invitation_token
from campaigns.organisations.models import Membership
from tests.factories import PASSWORD, make_invitation, make_organisation, make_user
from tests.support.concurrency import at_once

ROOT = Path(__file__).resolve().parents[2]
WRONG = "not the password for this account"


def sign_in(client, email: str, password: str = WRONG, ip: str = "10.0.0.1"):
    return client.post("/sign-in", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def resume(client, email: str, password: str, ip: str = "10.0.0.1"):
    data = {"email": email, "password": password, "resume_to": "/account/name", "name": "Kept Name"}
    return client.post("/sign-in/resume", data=data, environ_base={"REMOTE_ADDR": ip})


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_only_the_guard_checks_passwords():
    callers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "campaigns").rglob("*.py")
        if re.search(r"\bverify_password\b", path.read_text())
    ]
    assert sorted(callers) == ["campaigns/accounts/guard.py", "campaigns/accounts/passwords.py"]


def test_once_an_account_is_limited_on_sign_in_resume_takes_no_more_guesses(client):
    user = make_user()
    for _ in range(10):
        assert sign_in(client, user.email).status_code == 400
    assert sign_in(client, user.email, PASSWORD).status_code == 429
    refused = resume(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert "Kept Name" in refused.text  # the form being resumed is still kept
    assert "Retry-After" in refused.headers
    assert not signed_in(client)


def test_resume_is_limited_like_sign_in(client):
    user = make_user()
    for _ in range(10):
        assert resume(client, user.email, WRONG).status_code == 400
    assert sign_in(client, user.email, PASSWORD).status_code == 429


def test_guesses_sent_all_at_once_get_no_further_than_one_by_one(app):
    user = make_user()
    clients = [app.test_client() for _ in range(14)]
    tokens = [c.csrf_token() for c in clients]

    def guess(n: int):
        data = {"email": user.email, "password": WRONG, "csrf_token": tokens[n]}
        return lambda: clients[n].post("/sign-in", data=data, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code

    statuses = at_once(*(guess(n) for n in range(14)))
    assert statuses.count(400) == 10
    assert statuses.count(429) == 4


def test_a_stranger_cannot_lock_the_owner_out_of_the_browser_they_use(client, app):
    owner = make_user()
    client.login(owner)  # this browser is now known for the account
    client.logout()
    stranger = app.test_client()
    for n in range(20):
        assert sign_in(stranger, owner.email, ip=f"10.9.{n}.1").status_code == 400, n
    assert sign_in(stranger, owner.email, PASSWORD, ip="10.9.99.1").status_code == 429
    assert sign_in(app.test_client(), owner.email, PASSWORD, ip="10.8.8.8").status_code == 429  # a new browser
    # The owner's own browser, from wherever it is, is not held up.
    assert sign_in(client, owner.email, PASSWORD, ip="10.7.7.7").status_code == 302


def test_a_known_browser_has_a_limit_of_its_own(client):
    owner = make_user()
    client.login(owner)
    client.logout()
    for _ in range(10):
        assert sign_in(client, owner.email).status_code == 400
    assert sign_in(client, owner.email, PASSWORD).status_code == 429


def test_guesses_spread_over_many_addresses_slow_down_more_and_more(app, monkeypatch):
    user = make_user()
    for n in range(20):
        assert sign_in(app.test_client(), user.email, ip=f"10.1.{n}.1").status_code == 400
    refused = sign_in(app.test_client(), user.email, PASSWORD, ip="10.1.99.1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_a_password_reset_lifts_the_hold_on_new_browsers(client, app):
    user = make_user()
    for n in range(20):
        sign_in(app.test_client(), user.email, ip=f"10.2.{n}.1")
    assert sign_in(client, user.email, PASSWORD).status_code == 429
    new_password = "another long and unusual passphrase"
    reset = client.post(f"/account/password/reset/{_reset_token(user)}", data={"password": new_password})
    assert reset.status_code == 302
    assert sign_in(client, user.email, new_password).status_code == 302


def test_unknown_addresses_are_limited_alike_so_limits_reveal_nothing(client):
    for _ in range(10):
        assert sign_in(client, "nobody@example.org").status_code == 400
    assert sign_in(client, "nobody@example.org").status_code == 429


def test_one_connection_trying_many_accounts_is_stopped(client):
    for n in range(30):
        assert sign_in(client, f"person{n}@elsewhere.example.org").status_code == 400
    assert sign_in(client, "another@elsewhere.example.org").status_code == 429


def test_changing_the_password_is_limited_by_the_same_check(client):
    user = make_user()
    client.login(user)
    for _ in range(10):
        page = client.post(
            "/account/password", data={"current_password": WRONG, "new_password": "a brand new passphrase here"}
        )
        assert page.status_code == 400
    refused = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "a brand new passphrase here"}
    )
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_changing_the_email_address_shares_the_limit(client):
    user = make_user()
    client.login(user)
    for _ in range(10):
        client.post("/account/email", data={"password": WRONG, "new_email": "new@example.org"})
    refused = client.post("/account/email", data={"password": PASSWORD, "new_email": "new@example.org"})
    assert refused.status_code == 429
    assert db.session.get(User, user.id).email == user.email


def test_registering_from_an_invitation_never_takes_a_password_for_an_existing_account(client):
    organisation = make_organisation()
    user = make_user()
    invitation = make_invitation(organisation, user.email)
    page = client.post(
        f"/invitations/{invitation_token(invitation)}/register",
        data={"name": "Someone", "password": "a guess at their passphrase"},
    )
    assert page.status_code == 302 and page.headers["Location"].startswith("/sign-in")
    assert not signed_in(client)
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(Membership.user_id == user.id)) == 0
    )
