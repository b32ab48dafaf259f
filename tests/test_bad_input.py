"""Input no form expects: huge numbers, control characters. Always a clear 4xx, never a 500, nothing changed."""

import pytest
import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from tests.factories import make_organisation, make_user

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/{slug}/members/" + HUGE,
        "/organisations/{slug}/members/" + HUGE + "/remove",
        "/organisations/{slug}/members/0",
        "/organisations/{slug}/members/-1",
    ],
)
def test_ids_too_large_or_not_positive_are_not_found(client, path):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    client.login(admin)
    assert client.get(path.format(slug=organisation.slug)).status_code == 404


def test_huge_ids_in_posts_are_not_found(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    client.login(admin)
    for action in ("resend", "revoke"):
        assert client.post(f"/organisations/{organisation.slug}/invitations/{HUGE}/{action}").status_code == 404


@pytest.mark.parametrize("path", [f"/organisations?after={HUGE}", "/organisations?after=-5", "/organisations?after=x"])
def test_a_page_marker_that_cannot_be_an_id_is_ignored(client, path):
    make_organisation("Some Group")
    page = client.get(path)
    assert page.status_code == 200
    assert "Some Group" in page.text


def test_huge_page_markers_in_activity_logs_are_ignored(client):
    admin = make_user(platform_admin=True)
    organisation = make_organisation(admin=admin)
    client.login(admin)
    assert client.get(f"/admin/activity?before={HUGE}").status_code == 200
    assert client.get(f"/organisations/{organisation.slug}/activity?before={HUGE}").status_code == 200


@pytest.mark.parametrize("path", ["/organisations?q=a%00b", "/organisations/a%00b", "/sign-in?next=/x%00y"])
def test_control_characters_in_an_address_are_refused(client, path):
    page = client.get(path)
    assert page.status_code == 400
    assert "characters we cannot accept" in page.text


def test_control_characters_in_a_form_are_refused_and_nothing_is_saved(client):
    data = {"name": "Jane\x00Smith", "email": "jane@example.org", "password": "x"}
    page = client.post("/account/register", data=data)
    assert page.status_code == 400
    assert "characters we cannot accept" in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_control_characters_in_an_organisation_profile_are_refused(client):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    client.login(admin)
    page = client.post(
        f"/organisations/{organisation.slug}/edit",
        data={"name": "Food Bank", "kind": "vcs", "subtype": "charity", "region": "london", "description": "a\x07b"},
    )
    assert page.status_code == 400
    assert db.session.get(Organisation, organisation.id).description == ""


def test_line_breaks_and_tabs_are_welcome_in_text(client):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    client.login(admin)
    response = client.post(
        f"/organisations/{organisation.slug}/edit",
        data={
            "name": "Food Bank",
            "kind": "vcs",
            "subtype": "charity",
            "region": "london",
            "description": "Line one.\r\n\r\n\tLine two.",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert db.session.get(Organisation, organisation.id).description == "Line one.\r\n\r\n\tLine two."
