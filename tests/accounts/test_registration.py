import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.passwords import password_fingerprint
from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from tests.factories import PASSWORD, make_user
from tests.support.links import path_of, token_made_ago


def register(client, name="Jane Smith", email="jane@example.org", password=PASSWORD):
    return client.post("/account/register", data={"name": name, "email": email, "password": password})


def test_registering_sends_a_link_that_confirms_the_address(client, deliver):
    response = register(client, email="  Jane@Example.ORG ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email"
    assert "jane@example.org" in client.get("/account/check-your-email").text

    user = db.session.scalar(sa.select(User).where(User.email == "jane@example.org"))
    assert user is not None and user.name == "Jane Smith"
    assert not user.email_verified

    [email] = deliver()
    assert email.recipients == ["jane@example.org"]
    assert email.subject == "Confirm your email address for Common Ground"
    link = email.link("/account/confirm/")
    assert link.startswith("http://127.0.0.1:")
    assert "Confirm my email address" in email.html

    # Following the link shows a button: a mail scanner opening the link confirms nothing.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Confirm your email address" in page.text
    assert not db.session.get(User, user.id).email_verified

    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 302
    assert db.session.get(User, user.id).email_verified
    assert "Your email address is confirmed" in client.get("/sign-in").text


def test_a_confirmation_link_works_only_once(client, deliver):
    register(client)
    link = path_of(deliver()[0].link("/account/confirm/"))
    assert client.post(link).status_code == 302
    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.text


def test_an_expired_confirmation_link_is_refused_with_a_way_forward(client, app):
    user = make_user(verified=False)
    payload = {"u": user.id, "e": user.email, "p": password_fingerprint(user.password_hash)}
    token = token_made_ago("verify-email", payload, seconds=4 * 24 * 3600)
    page = client.post(f"/account/confirm/{token}")
    assert page.status_code == 400
    assert "This link has expired" in page.text
    assert "Get a new link" in page.text
    assert not db.session.get(User, user.id).email_verified


def test_a_tampered_confirmation_link_is_refused(client, deliver):
    register(client)
    link = path_of(deliver()[0].link("/account/confirm/"))
    page = client.post(link[:-3] + "abc")
    assert page.status_code == 400
    assert "This link is not valid" in page.text


def test_registering_an_address_that_has_an_account_reveals_nothing_and_tells_the_owner(client, deliver):
    owner = make_user(email="jane@example.org", name="Jane Original")
    response = register(client, name="Someone Else", email="JANE@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert db.session.get(User, owner.id).name == "Jane Original"

    [email] = deliver()
    assert email.recipients == ["jane@example.org"]
    assert "tried to create a new Common Ground account" in email.text


def test_registering_again_before_confirming_sends_a_new_confirmation_link(client, deliver):
    make_user(email="jane@example.org", verified=False)
    register(client)
    [email] = deliver()
    assert email.subject == "Confirm your email address for Common Ground"


def test_nobody_can_keep_an_account_by_registering_someone_elses_address_first(client, app, deliver):
    attacker = app.test_client()
    register(attacker, name="Mallory", email="victim@example.org", password="mallory's own long password")
    attackers_link = path_of(deliver()[0].link("/account/confirm/"))  # it went to the victim's mailbox
    register(client, name="Victor Owner", email="victim@example.org", password=PASSWORD)
    victims_link = path_of(deliver()[0].link("/account/confirm/"))

    # The earlier link was made for the earlier password: it no longer confirms anything.
    assert client.post(attackers_link).status_code == 400
    assert client.post(victims_link).status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.name == "Victor Owner"
    attackers_sign_in = {"email": "victim@example.org", "password": "mallory's own long password"}
    assert attacker.post("/sign-in", data=attackers_sign_in).status_code == 400
    assert client.post("/sign-in", data={"email": "victim@example.org", "password": PASSWORD}).status_code == 302


def test_a_new_link_asked_for_without_the_password_makes_the_person_choose_one(client, deliver):
    make_user(email="jane@example.org", verified=False, password="somebody else's password here")
    client.post("/account/confirm/resend", data={"email": "jane@example.org"})
    [email] = deliver()
    assert email.subject == "Confirm your email address and choose a password"
    link = path_of(email.link("/account/password/reset/"))
    assert client.post(link, data={"password": PASSWORD}).status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.email_verified
    assert client.post("/sign-in", data={"email": "jane@example.org", "password": PASSWORD}).status_code == 302


def test_a_registration_with_missing_answers_says_what_is_missing_and_keeps_what_was_typed(client):
    page = register(client, name="", email="jane@example.org", password="")
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert '<a href="#name">Enter your full name</a>' in page.text
    assert '<a href="#password">Enter a password</a>' in page.text
    assert 'value="jane@example.org"' in page.text
    assert page.text.count("<h1") == 1
    assert "<title>Error: Create an account" in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_weak_password_is_refused_with_advice_and_the_password_is_not_echoed(client):
    page = register(client, password="password1")
    assert page.status_code == 400
    assert "This password is too easy to guess" in page.text
    assert "password1" not in page.text
    assert 'value="Jane Smith"' in page.text


def test_oversized_and_malformed_fields_get_clear_messages(client):
    page = register(client, name="x" * 201, email="not an email", password="y" * 300)
    assert page.status_code == 400
    assert "Name must be 200 characters or fewer" in page.text
    assert "Enter an email address in the correct format" in page.text
    assert "Password must be 256 characters or fewer" in page.text


def test_registration_is_recorded_in_the_audit_log(client):
    register(client)
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "account.registered"))


def test_a_new_confirmation_link_can_be_requested_without_revealing_whether_an_account_exists(client, deliver):
    make_user(email="unconfirmed@example.org", verified=False)
    make_user(email="confirmed@example.org")
    for address in ("unconfirmed@example.org", "confirmed@example.org", "nobody@example.org"):
        response = client.post("/account/confirm/resend", data={"email": address})
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/check-your-email?reason=resend"
    [email] = deliver()
    assert email.recipients == ["unconfirmed@example.org"]


def test_line_breaks_in_a_name_cannot_reach_an_email_header(client, deliver):
    register(client, name="Jane\r\nBcc: victim@example.org  Smith")
    user = db.session.scalar(sa.select(User))
    assert user.name == "Jane Bcc: victim@example.org Smith"
