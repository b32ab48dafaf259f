import time

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from tests.factories import PASSWORD, make_user


def sign_in(client, email, password=PASSWORD, **query):
    return client.post("/sign-in", query_string=query, data={"email": email, "password": password})


def test_signing_in_with_the_right_details_opens_the_account_page(client):
    user = make_user(email="jane@example.org", name="Jane Smith")
    response = sign_in(client, " JANE@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "Jane Smith" in page.text
    assert db.session.get(type(user), user.id).last_signed_in_at is not None


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client):
    make_user(email="jane@example.org")
    wrong_password = sign_in(client, "jane@example.org", "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 400
    message = "They did not match"
    assert message in wrong_password.text and message in unknown.text
    assert 'value="jane@example.org"' in wrong_password.text
    assert "not the password at all" not in wrong_password.text
    assert client.get("/account").status_code == 302


def test_a_failed_sign_in_is_recorded_against_the_account(client):
    user = make_user()
    sign_in(client, user.email, "wrong password here")
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert actions == ["account.sign_in_failed"]


def test_an_unconfirmed_address_cannot_sign_in_and_gets_a_new_link(client, deliver):
    user = make_user(verified=False)
    page = sign_in(client, user.email)
    assert page.status_code == 403
    assert "You need to confirm your email address" in page.text
    [email] = deliver()
    assert email.recipients == [user.email]
    assert "/account/confirm/" in email.link("/account/confirm/")


def test_signing_in_starts_a_fresh_session(client):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.session_key


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(client):
    user = make_user()
    assert sign_in(client, user.email, next="/organisations").headers["Location"] == "/organisations"
    client.logout()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert sign_in(client, user.email, next=target).headers["Location"] == "/account"
        client.logout()


def test_a_page_for_signed_in_people_sends_others_to_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_signing_out_ends_the_session_and_needs_a_post(client):
    user = make_user()
    client.login(user)
    assert client.get("/sign-out").status_code == 405
    response = client.logout()
    assert response.status_code == 302
    assert "You have signed out" in client.get("/").text
    assert client.get("/account").status_code == 302


def test_signing_out_without_a_csrf_token_is_refused(client):
    user = make_user()
    client.login(user)
    response = client.post("/sign-out", csrf=False)
    assert response.status_code == 400
    assert "could not be sent" in response.text
    assert client.get("/account").status_code == 200


def _age_session(client, *, idle_seconds=0, open_seconds=0):
    with client.session_transaction() as session:
        now = int(time.time())
        session["last_seen"] = now - idle_seconds
        session["signed_in_at"] = now - open_seconds


def test_a_session_left_idle_too_long_is_signed_out(client, app):
    client.login(make_user())
    _age_session(client, idle_seconds=app.config["CAMPAIGNS_SESSION_IDLE_MINUTES"] * 60 + 5)
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert "your session expired" in client.get("/sign-in").text


def test_a_session_in_use_is_still_signed_out_after_its_maximum_length(client, app):
    client.login(make_user())
    _age_session(client, open_seconds=app.config["CAMPAIGNS_SESSION_MAX_HOURS"] * 3600 + 5)
    assert client.get("/account").status_code == 302


def test_a_session_in_use_within_its_limits_stays_signed_in(client):
    client.login(make_user())
    _age_session(client, idle_seconds=120, open_seconds=3600)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert int(time.time()) - session["last_seen"] < 60


def test_the_privacy_notice_names_every_cookie_signing_in_sets_and_how_long_it_is_kept(client):
    response = sign_in(client, make_user().email)
    names = {header.partition("=")[0] for header in response.headers.getlist("Set-Cookie")}
    notice = client.get("/privacy").text
    assert names and all(f"<code>{name}</code>" in notice for name in names)
    assert "We use two cookies." in notice and "kept for 180 days" in notice
    browser = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("commonground_browser="))
    assert "Max-Age=15552000" in browser  # 180 days, as the notice says


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    user = make_user()
    response = sign_in(client, user.email)
    cookies = {header.partition("=")[0]: header for header in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"commonground_session", "commonground_browser"}
    for cookie in cookies.values():
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


def test_the_error_summary_links_to_the_field_to_correct(client):
    make_user(email="jane@example.org")
    page = sign_in(client, "jane@example.org", "wrong password here")
    assert '<a href="#email">Enter the email address and password for your account.' in page.text


def test_after_signing_out_a_copy_of_the_session_cookie_no_longer_works(client, app):
    client.login(make_user())
    copy = app.test_client()
    cookie = client.get_cookie("commonground_session")
    copy.set_cookie("commonground_session", cookie.value)
    assert copy.get("/account").status_code == 200
    client.logout()
    assert copy.get("/account").status_code == 302
