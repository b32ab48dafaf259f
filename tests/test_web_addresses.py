"""Every web address the site stores is an http(s) address with a host, in one normal form, at most 300 characters;
links to them are marked as user content; and a row from before those rules never becomes a link."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.submissions.models import Target
from campaigns.web_addresses import MAX_LENGTH, NotAWebAddress, is_web_address, normalise_web_address
from tests.factories import make_organisation, make_user
from tests.statements.builders import partnership
from tests.submissions.builders import make_target

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:someone@example.org",
    "ftp://files.example.org/",
    "//evil.example.org/",
    "https://",
    "https://user:secret@example.org/",
    "https://gov.uk@evil.example.org/",
    "https://exa mple.org/",
    "https://[::1",
    "https://localhost/",
    "https://-bad-.example.org/",
    "not a website",
    "https://example.org/" + "a" * MAX_LENGTH,
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_anything_but_an_http_address_with_a_host_is_refused(hostile):
    with pytest.raises(NotAWebAddress):
        normalise_web_address(hostile)
    assert not is_web_address(hostile)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.northshire.gov.uk", "https://www.northshire.gov.uk"),
        ("HTTPS://WWW.Example.ORG/Path?Q=1#Top", "https://www.example.org/Path?Q=1#Top"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/", "https://example.org:8443/"),
        ("example.org:8080/x", "https://example.org:8080/x"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
        ("https://192.0.2.10/", "https://192.0.2.10/"),
        ("https://[2001:db8::1]/", "https://[2001:db8::1]/"),
    ],
)
def test_web_addresses_are_kept_in_one_normal_form(typed, stored):
    assert normalise_web_address(typed) == stored
    assert is_web_address(stored)


@settings(max_examples=400)
@given(
    st.one_of(st.text(max_size=80), st.from_regex(r"(https?://)?[a-zA-Z0-9.\-]{1,30}(/[^ ]{0,40})?", fullmatch=True))
)
def test_whatever_is_typed_is_refused_or_becomes_an_address_that_stays_as_it_is(typed):
    try:
        stored = normalise_web_address(typed)
    except NotAWebAddress:
        return
    assert stored.startswith(("http://", "https://"))
    assert len(stored) <= MAX_LENGTH
    assert normalise_web_address(stored) == stored


def test_the_column_type_refuses_what_a_form_would_have_refused(app):
    organisation = make_organisation()
    organisation.website = "javascript:alert(1)"
    with pytest.raises(sa.exc.StatementError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("hostile", HOSTILE[:6])
def test_an_editor_cannot_store_a_script_link_as_a_targets_website(client, hostile):
    p = partnership()
    client.login(p.council_editor)
    page = client.post(f"/statements/{p.statement.slug}/targets/new", data={"name": "Someone", "website": hostile})
    assert page.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_the_admins_target_form_and_the_organisation_form_use_the_same_field(client):
    admin = make_user(platform_admin=True)
    organisation = make_organisation("Food Bank", admin=admin)
    client.login(admin)
    refused = client.post("/targets/new", data={"kind": "department", "name": "HMT", "website": "javascript:x()"})
    assert refused.status_code == 400 and "starts with https:// or http://" in refused.text
    profile = {"name": "Food Bank", "kind": "vcs", "subtype": "charity", "region": "london", "version": "1"}
    refused = client.post(f"/organisations/{organisation.slug}/edit", data={**profile, "website": "javascript:x()"})
    assert refused.status_code == 400 and "starts with https:// or http://" in refused.text
    saved = client.post(f"/organisations/{organisation.slug}/edit", data={**profile, "website": "Food.Example.ORG"})
    assert saved.status_code == 302
    assert db.session.get(Organisation, organisation.id).website == "https://food.example.org"


def test_links_to_given_addresses_are_marked_as_user_content(client):
    target = make_target("HM Treasury", website="https://www.gov.uk/hmt")
    page = client.get(f"/targets/{target.slug}")
    assert '<a class="govuk-link" href="https://www.gov.uk/hmt" rel="nofollow noopener ugc">' in page.text


def test_a_bad_address_stored_before_these_rules_shows_as_text_never_as_a_link(client):
    target = make_target("Old Target")
    organisation = make_organisation("Old Organisation")
    for table, row_id in (("submission_targets", target.id), ("organisations", organisation.id)):
        db.session.execute(sa.text(f"UPDATE {table} SET website = 'javascript:alert(1)' WHERE id = {row_id}"))
    db.session.commit()
    for path in (f"/targets/{target.slug}", f"/organisations/{organisation.slug}"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'href="javascript:' not in page.text
        assert "javascript:alert(1)" in page.text  # as text, so an admin can see and correct it
