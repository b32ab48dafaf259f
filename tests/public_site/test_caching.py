"""HTTP caching: public pages may be kept briefly by shared caches and revalidated with 304; nothing for one reader."""

from __future__ import annotations

import pytest
from flask import template_rendered

from campaigns.caching import PRIVATE, PUBLIC
from campaigns.extensions import db
from campaigns.signatures import services
from campaigns.signatures.emails import signature_token
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.statements.builders import partnership
from tests.submissions.builders import make_target


def public_paths(slug: str, target_slug: str) -> list[str]:
    return [
        "/",
        "/statements",
        f"/s/{slug}",
        f"/s/{slug}/signatories",
        f"/s/{slug}/signatories?kind=vcs",
        f"/s/{slug}/badge.svg",
        f"/s/{slug}/embed",
        f"/s/{slug}/signatories.csv",
        "/targets",
        f"/targets/{target_slug}",
    ]


@pytest.fixture
def world():
    p = open_statement()
    confirmed(p.statement, make_organisation("Riverside Community Trust"))
    return p, make_target("HM Treasury")


def test_public_pages_may_be_kept_briefly_by_shared_caches_and_carry_a_strong_etag(client, world):
    p, target = world
    for path in public_paths(p.statement.slug, target.slug):
        response = client.get(path)
        assert response.status_code == 200, path
        assert (
            response.headers["Cache-Control"] == PUBLIC == "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
        ), path
        etag, weak = response.get_etag()
        assert etag and not weak, path
        assert "Cookie" in response.headers["Vary"]
        assert "Set-Cookie" not in response.headers
        assert client.get(path).get_etag() == (etag, False), f"{path}: the same page, the same tag"


def test_a_conditional_request_gets_304_without_rendering_the_page(app, client, world):
    p, target = world
    rendered: list[str] = []

    def remember(_app, template, **_extra) -> None:
        rendered.append(template.name)

    for path in public_paths(p.statement.slug, target.slug):
        etag = client.get(path).get_etag()[0]
        template_rendered.connect(remember, app)
        try:
            again = client.get(path, headers={"If-None-Match": f'"{etag}"'})
        finally:
            template_rendered.disconnect(remember, app)
        assert again.status_code == 304, path
        assert again.data == b"" and rendered == []
        assert again.headers["ETag"] == f'"{etag}"' and again.headers["Cache-Control"] == PUBLIC
        assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_page_unchanged_since_it_was_rendered_is_sent_again_without_rendering(app, client, world):
    p, target = world
    rendered: list[str] = []

    def remember(_app, template, **_extra) -> None:
        rendered.append(template.name)

    for path in public_paths(p.statement.slug, target.slug):
        first = client.get(path)
        template_rendered.connect(remember, app)
        try:
            again = client.get(path)
        finally:
            template_rendered.disconnect(remember, app)
        assert again.status_code == 200 and again.data == first.data, path
        assert again.headers["Content-Type"] == first.headers["Content-Type"]
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        assert rendered == [], f"{path} was rendered again though nothing it shows had changed"


def test_a_kept_page_is_not_sent_once_what_it_shows_has_changed(client, world):
    p, _target = world
    assert "Hillside Tenants Group" not in client.get(f"/s/{p.statement.slug}/signatories").text
    pending = sign(p.statement, make_organisation("Hillside Tenants Group"))
    services.confirm(signature_token(pending, "confirm"), p.statement)
    db.session.commit()
    assert "Hillside Tenants Group" in client.get(f"/s/{p.statement.slug}/signatories").text
    assert "2 organisations" in client.get(f"/s/{p.statement.slug}").text


def test_a_page_nobody_was_shown_is_never_answered_304(client):
    p = partnership()  # a statement still being drafted
    for tag in ("*", '"0123456789abcdef0123456789abcdef"'):
        assert client.get(f"/s/{p.statement.slug}", headers={"If-None-Match": tag}).status_code == 404
        assert client.get("/s/no-such-statement", headers={"If-None-Match": tag}).status_code == 404


def test_the_tag_changes_when_an_organisation_confirms_its_signature(client, world):
    p, target = world
    paths = [path for path in public_paths(p.statement.slug, target.slug) if path.startswith("/s/")]
    before = {path: client.get(path).get_etag()[0] for path in paths}
    pending = sign(p.statement, make_organisation("Hillside Tenants Group"))
    services.confirm(signature_token(pending, "confirm"), p.statement)
    db.session.commit()
    for path in paths:
        response = client.get(path, headers={"If-None-Match": f'"{before[path]}"'})
        assert response.status_code == 200, path
        assert response.get_etag()[0] != before[path]
    assert "Hillside Tenants Group" in client.get(f"/s/{p.statement.slug}/signatories").text


def test_signed_in_readers_pages_are_private_and_never_304(client, world):
    p, target = world
    anonymous = {path: client.get(path).get_etag()[0] for path in public_paths(p.statement.slug, target.slug)}
    client.login(p.council_editor)
    for path, etag in anonymous.items():
        response = client.get(path, headers={"If-None-Match": f'"{etag}"'})
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PRIVATE == "private, no-store"
        assert "ETag" not in response.headers and "Cookie" in response.headers["Vary"]
    assert client.get("/account").headers["Cache-Control"] == PRIVATE


def test_a_flash_message_or_a_form_is_never_kept_by_a_shared_cache(client, world):
    p, _target = world
    # A form with a CSRF token, for a reader not signed in.
    sign_page = client.get(f"/s/{p.statement.slug}/sign")
    assert 'name="csrf_token"' in sign_page.text
    assert sign_page.headers["Cache-Control"] == PRIVATE
    # A flash message waiting for the next page: that page is for this reader only.
    client.login(p.council_editor)
    client.logout()
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "You have signed out.")]
    page = client.get(f"/s/{p.statement.slug}")
    assert "You have signed out." in page.text
    assert page.headers["Cache-Control"] == PRIVATE and "ETag" not in page.headers
    assert client.get(f"/s/{p.statement.slug}").headers["Cache-Control"] == PUBLIC
