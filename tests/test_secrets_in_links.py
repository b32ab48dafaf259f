"""Secrets that arrive in a request (a token in an emailed link, a calendar key, a private link's key) are compared
as bytes in constant time, and anything that cannot be one of ours is refused with a 4xx, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.http import SECRET_ARGUMENTS
from campaigns.signatures.services import settings_for
from campaigns.tokens import same_secret
from tests.factories import make_organisation, make_user
from tests.signatures.builders import open_statement

#: Each is what a browser sends for a path part someone pasted or tampered with.
HOSTILE = ["é", "ü" * 40, "\u0663\u0664", "%FF%FE", "%C3%28", "a%20b", "x" * 5000, "🔑", "..%2F..%2Fetc", "a;b'--"]


def _rules_with_secrets(app):
    return [rule for rule in app.url_map.iter_rules() if SECRET_ARGUMENTS & set(rule.arguments)]


def test_every_route_argument_that_looks_like_a_secret_is_checked_as_one(app):
    secretive = {
        f"{rule.rule}: {name}"
        for rule in app.url_map.iter_rules()
        for name in rule.arguments
        if ("token" in name or "key" in name) and name not in SECRET_ARGUMENTS
    }
    assert not secretive, "Name these arguments `token` or `key`, so refuse_malformed_secrets checks them"
    assert len(_rules_with_secrets(app)) >= 13


@pytest.mark.parametrize("value", HOSTILE)
def test_a_malformed_secret_in_any_link_is_a_4xx_for_anyone(app, client, value):
    organisation = make_organisation()
    p = open_statement()
    client.login(make_user())
    for rule in _rules_with_secrets(app):
        path = rule.rule.replace("<slug>", organisation.slug if "organisations" in rule.rule else p.statement.slug)
        for name in rule.arguments & SECRET_ARGUMENTS:
            path = path.replace(f"<{name}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"reason": "x"} if method == "POST" else None)
            assert 400 <= response.status_code < 500, (method, path, response.status_code)


def test_a_calendar_address_with_a_non_ascii_key_is_not_found(client):
    organisation = make_organisation()
    assert client.get(f"/organisations/{organisation.slug}/submissions/é.ics").status_code == 404
    assert client.get(f"/organisations/{organisation.slug}/submissions/{'0' * 32}.ics").status_code == 404


@pytest.mark.parametrize("key", ["é", "ü" * 24, "%FF", "wrong", ""])
def test_a_private_link_with_a_wrong_or_malformed_key_is_refused(client, key):
    p = open_statement()
    settings = settings_for(p.statement)
    settings.launch_at = utcnow() + timedelta(days=7)
    db.session.commit()
    refused = client.get(f"/s/{p.statement.slug}/sign", query_string={"key": key})
    assert refused.status_code == 409
    assert "not open for signatures yet" in refused.text
    assert client.get(f"/s/{p.statement.slug}/sign", query_string={"key": settings.private_key}).status_code == 200


@pytest.mark.parametrize(
    ("given", "expected", "same"),
    [
        ("abc", "abc", True),
        ("abd", "abc", False),
        ("é", "é", False),  # never one of ours
        ("", "", False),
        (None, "abc", False),
        (123, "123", False),
        (["abc"], "abc", False),
        ("abc", None, False),
    ],
)
def test_secrets_are_compared_only_when_they_could_be_ours(given, expected, same):
    assert same_secret(given, expected) is same
