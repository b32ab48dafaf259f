from tests.factories import make_user


def test_repeated_failed_sign_ins_to_one_account_are_blocked_with_a_styled_page(client):
    user = make_user()
    for _ in range(10):
        assert client.post("/sign-in", data={"email": user.email, "password": "guess guess guess"}).status_code == 400
    blocked = client.post("/sign-in", data={"email": user.email, "password": "guess guess guess"})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    assert "Retry-After" in blocked.headers
    assert 'class="govuk-service-navigation' in blocked.text


def test_the_per_account_limit_holds_whichever_address_the_attempts_come_from(client, app):
    user = make_user()
    for n in range(20):
        other = app.test_client()
        other.post(
            "/sign-in",
            data={"email": user.email.upper(), "password": "guess guess guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
    blocked = client.post(
        "/sign-in", data={"email": user.email, "password": "guess"}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert blocked.status_code == 429


def test_successful_sign_ins_do_not_use_up_the_limit(client):
    user = make_user()
    for _ in range(12):
        client.login(user)
        client.logout()


def test_many_failed_sign_ins_from_one_address_are_blocked(client):
    for n in range(30):
        client.post("/sign-in", data={"email": f"person{n}@example.org", "password": "guess guess guess"})
    assert client.post("/sign-in", data={"email": "another@example.org", "password": "guess"}).status_code == 429


def test_registration_is_limited_per_address(client):
    for n in range(10):
        client.post("/account/register", data={"name": "A Person", "email": f"p{n}@example.org", "password": "x"})
    blocked = client.post("/account/register", data={"name": "A Person", "email": "p99@example.org", "password": "x"})
    assert blocked.status_code == 429


def test_password_reset_requests_are_limited_per_account(client, deliver):
    user = make_user()
    for _ in range(5):
        assert client.post("/account/password/forgotten", data={"email": user.email}).status_code == 302
    assert client.post("/account/password/forgotten", data={"email": user.email}).status_code == 429
    assert len(deliver()) == 5


def test_registering_one_address_again_and_again_is_limited_so_its_owner_is_not_flooded(client, deliver):
    make_user(email="owner@example.org")
    for n in range(5):
        client.post(
            "/account/register",
            data={"name": "A Person", "email": "owner@example.org", "password": "a long passphrase here"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
        )
    blocked = client.post(
        "/account/register",
        data={"name": "A Person", "email": "owner@example.org", "password": "a long passphrase here"},
        environ_base={"REMOTE_ADDR": "10.1.0.99"},
    )
    assert blocked.status_code == 429
    assert len(deliver()) == 5
