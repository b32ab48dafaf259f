"""Security baseline: headers on every response, CSRF on every state change, no state change on GET."""

import pytest

from tests.factories import make_user


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://commonground.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_pages_contain_no_inline_scripts_or_styles(client):
    client.login(make_user())
    for path in ("/", "/account", "/organisations", "/sign-in"):
        text = client.get(path).text
        assert "<script>" not in text
        assert "<style" not in text
        assert ' style="' not in text
        assert " onclick=" not in text


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(client):
    client.login(make_user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"


#: RFC 8058 one-click unsubscribes: mail clients POST without a session or CSRF token, so the signed link in the
#: URL is the only key (tested in tests/mailings/test_unsubscribe.py: a tampered or used link is refused).
CSRF_EXEMPT = {"/updates/unsubscribe/<token>", "/updates/unsubscribe/<token>/all"}


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule not in CSRF_EXEMPT:
            yield rule


def test_every_form_post_without_a_csrf_token_is_refused(app, client):
    client.login(make_user())
    checked = 0
    for rule in _post_routes(app):
        values = {name: ("x" if name in ("slug", "token") else 1) for name in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"name": "x"}, csrf=False)
        assert response.status_code == 400, url
        assert "could not be sent" in response.text
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("path", ["/sign-out", "/organisations/x/verify", "/invitations/x/accept"])
def test_actions_that_change_things_do_not_answer_get(client, path):
    assert client.get(path).status_code == 405
