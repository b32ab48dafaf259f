"""Security baseline: headers on every response, CSRF on every state change, no state change on GET."""

import base64
import hashlib
import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from campaigns.accounts.models import User
from campaigns.extensions import db
from tests.conftest import SECRET_KEY
from tests.factories import make_user


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='" in csp.split("; ")
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://commonground.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _script_hashes(csp: str) -> set[str]:
    [script_src] = [directive for directive in csp.split("; ") if directive.startswith("script-src ")]
    return {source[len("'sha256-") : -1] for source in script_src.split()[1:] if source.startswith("'sha256-")}


def test_the_only_inline_script_is_the_one_the_policy_allows_by_its_hash(client):
    """GOV.UK Frontend's js-enabled line runs before the first paint (no layout shift); the policy names its hash,
    so any other inline script, or a changed one, is refused by the browser."""
    for path in ("/", "/statements", "/sign-in"):
        response = client.get(path)
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.S)
        assert len(inline) == 1
        digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        assert _script_hashes(response.headers["Content-Security-Policy"]) == {digest}
        assert "js-enabled" in inline[0] and "&#39;" not in inline[0]


def test_pages_contain_no_inline_styles_or_handlers(client):
    client.login(make_user())
    for path in ("/", "/account", "/organisations", "/sign-in"):
        text = client.get(path).text
        assert "<style" not in text
        assert ' style="' not in text
        assert " onclick=" not in text


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(client):
    client.login(make_user())
    assert client.get("/account").headers["Cache-Control"] == "private, no-store"


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


def _form_token_made_ago(client, seconds: int) -> str:
    """The CSRF token a form page would have carried, had it been loaded `seconds` ago."""
    client.csrf_token()  # the session's raw token
    with client.session_transaction() as session:
        raw = session["csrf_token"]

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    return URLSafeTimedSerializer(SECRET_KEY, salt="wtf-csrf-token", signer=Backdated).dumps(raw)


def test_a_form_token_lasts_no_longer_than_the_longest_session_and_what_was_typed_is_kept(app, client):
    user = make_user()
    client.login(user)
    longest = app.config["CAMPAIGNS_SESSION_MAX_HOURS"] * 3600
    assert app.config["WTF_CSRF_TIME_LIMIT"] == longest
    stale = _form_token_made_ago(client, longest + 60)
    refused = client.post("/account/name", data={"name": "Ada Lovelace", "csrf_token": stale})
    assert refused.status_code == 400
    assert "nothing you typed has been lost" in refused.text
    assert 'name="name" value="Ada Lovelace"' in refused.text
    assert db.session.get(User, user.id).name == user.name
    # The page carries a fresh token: sending it again saves the change.
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', refused.text)[1]
    assert client.post("/account/name", data={"name": "Ada Lovelace", "csrf_token": fresh}).status_code == 302
    assert db.session.get(User, user.id).name == "Ada Lovelace"


def test_a_form_token_within_its_lifetime_is_accepted(app, client):
    user = make_user()
    client.login(user)
    recent = _form_token_made_ago(client, app.config["CAMPAIGNS_SESSION_MAX_HOURS"] * 3600 - 600)
    assert client.post("/account/name", data={"name": "Ada Lovelace", "csrf_token": recent}).status_code == 302
