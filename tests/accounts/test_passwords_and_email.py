from campaigns.accounts.models import User
from campaigns.accounts.passwords import password_fingerprint
from campaigns.extensions import db
from tests.factories import PASSWORD, make_user
from tests.support.links import path_of, token_made_ago

NEW_PASSWORD = "quiet lantern over the marsh"


def test_a_forgotten_password_can_be_reset_from_the_emailed_link(client, deliver):
    user = make_user(email="jane@example.org")
    response = client.post("/account/password/forgotten", data={"email": "Jane@example.org"})
    assert response.status_code == 302
    assert "we have sent it a link to reset your password" in client.get(response.headers["Location"]).text

    [email] = deliver()
    assert email.recipients == ["jane@example.org"]
    assert "60 minutes" in email.text
    link = path_of(email.link("/account/password/reset/"))
    assert "Choose a new password" in client.get(link).text

    done = client.post(link, data={"password": NEW_PASSWORD})
    assert done.status_code == 302
    assert "Sign in with your new password" in client.get("/sign-in").text
    assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 400
    assert client.post("/sign-in", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    assert [m.subject for m in deliver()] == ["Your Common Ground password has been changed"]


def test_asking_to_reset_the_password_of_an_unknown_address_looks_the_same_and_sends_nothing(client, deliver):
    response = client.post("/account/password/forgotten", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email?reason=reset"
    assert deliver() == []


def test_a_reset_link_works_only_once(client, deliver):
    user = make_user()
    client.post("/account/password/forgotten", data={"email": user.email})
    link = path_of(deliver()[0].link("/account/password/reset/"))
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302
    again = client.post(link, data={"password": "another long passphrase here"})
    assert again.status_code == 400
    assert "already been used" in again.text
    assert client.post("/sign-in", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_link_expires_after_sixty_minutes(client):
    user = make_user()
    token = token_made_ago("reset-password", {"u": user.id, "p": password_fingerprint(user.password_hash)}, 61 * 60)
    page = client.get(f"/account/password/reset/{token}")
    assert page.status_code == 400
    assert "reset links last 60 minutes" in page.text
    assert client.post(f"/account/password/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 400
    assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_resetting_the_password_signs_out_every_other_browser(client, app, deliver):
    user = make_user()
    other_browser = app.test_client()
    other_browser.login(user)
    client.post("/account/password/forgotten", data={"email": user.email})
    client.post(path_of(deliver()[0].link("/account/password/reset/")), data={"password": NEW_PASSWORD})
    assert other_browser.get("/account").status_code == 302


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, deliver):
    user = make_user()
    client.post("/account/password/forgotten", data={"email": user.email})
    link = path_of(deliver()[0].link("/account/password/reset/"))
    page = client.post(link, data={"password": "qwerty123"})
    assert page.status_code == 400
    assert "too easy to guess" in page.text
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302


def test_changing_the_password_needs_the_current_one(client, deliver):
    user = make_user()
    client.login(user)
    page = client.post("/account/password", data={"current_password": "wrong one", "new_password": NEW_PASSWORD})
    assert page.status_code == 400
    assert "Your current password is not correct" in page.text
    assert deliver() == []


def test_changing_the_password_keeps_this_browser_signed_in_and_signs_out_the_others(client, app, deliver):
    user = make_user()
    other_browser = app.test_client()
    other_browser.login(user)
    client.login(user)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_browser.get("/account").status_code == 302
    [email] = deliver()
    assert email.subject == "Your Common Ground password has been changed"


def test_changing_the_email_address_takes_effect_when_the_new_address_confirms_it(client, deliver):
    user = make_user(email="old@example.org")
    client.login(user)
    response = client.post("/account/email", data={"new_email": "New@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "We have sent a link to new@example.org" in client.get("/account").text
    assert db.session.get(User, user.id).email == "old@example.org"

    emails = {m.recipients[0]: m for m in deliver()}
    assert set(emails) == {"old@example.org", "new@example.org"}
    assert "new@example.org" in emails["old@example.org"].text
    link = path_of(emails["new@example.org"].link("/account/email/confirm/"))
    assert client.post(link).status_code == 302
    assert db.session.get(User, user.id).email == "new@example.org"
    assert [m.recipients for m in deliver()] == [["old@example.org"]]

    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.text


def test_changing_to_an_address_that_has_an_account_reveals_nothing_to_the_requester(client, deliver):
    make_user(email="taken@example.org")
    user = make_user(email="mine@example.org")
    client.login(user)
    response = client.post("/account/email", data={"new_email": "taken@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "We have sent a link to taken@example.org" in client.get("/account").text
    emails = {m.recipients[0]: m for m in deliver()}
    assert "already has an account" in emails["taken@example.org"].text
    assert "/account/email/confirm/" not in emails["taken@example.org"].text


def test_an_address_taken_after_the_link_was_sent_is_refused_when_confirming(client, deliver):
    user = make_user(email="mine@example.org")
    client.login(user)
    client.post("/account/email", data={"new_email": "new@example.org", "password": PASSWORD})
    link = next(m for m in deliver() if m.recipients == ["new@example.org"]).link("/account/email/confirm/")
    make_user(email="new@example.org")
    page = client.post(path_of(link))
    assert page.status_code == 409
    assert "now belongs to another account" in page.text
    assert db.session.get(User, user.id).email == "mine@example.org"


def test_changing_the_email_address_needs_the_password(client, deliver):
    client.login(make_user())
    page = client.post("/account/email", data={"new_email": "new@example.org", "password": "wrong password"})
    assert page.status_code == 400
    assert "Your password is not correct" in page.text
    assert deliver() == []


def test_a_name_can_be_changed(client):
    user = make_user(name="Jane Smith")
    client.login(user)
    assert 'value="Jane Smith"' in client.get("/account/name").text
    assert client.post("/account/name", data={"name": "  Jane Smith-Jones "}).status_code == 302
    assert db.session.get(User, user.id).name == "Jane Smith-Jones"
    assert client.post("/account/name", data={"name": " "}).status_code == 400
