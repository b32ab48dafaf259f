import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import record
from campaigns.extensions import db
from campaigns.organisations.models import Role
from tests.factories import add_member, make_organisation, make_user


def test_an_organisation_admin_sees_its_own_activity_and_nothing_else(client):
    admin = make_user(name="Jo Whitfield")
    organisation = make_organisation(admin=admin)
    other = make_organisation()
    record("organisation.updated", organisation, organisation=organisation, changed={"name": ["A", "B"]}, actor=admin)
    record("organisation.secret_elsewhere", other, organisation=other, actor=None)
    db.session.commit()
    client.login(admin)
    page = client.get(f"/organisations/{organisation.slug}/activity")
    assert page.status_code == 200
    assert "Changed the organisation&#39;s profile" in page.text
    assert "<strong>Changed:</strong> name from ‘A’ to ‘B’" in page.text
    assert "Jo Whitfield" in page.text
    assert "organisation.secret_elsewhere" not in page.text


def test_details_read_as_words_roles_by_their_names_and_yes_or_no_not_stored_codes(client):
    admin = make_user(name="Jo Whitfield")
    organisation = make_organisation(admin=admin)
    record("statement.invited", organisation, organisation=organisation, role="co_author", merged=False, actor=admin)
    record("organisation.member_role_changed", organisation, organisation=organisation, old="editor", new="admin",
           actor=admin)  # fmt: skip
    db.session.commit()
    client.login(admin)
    page = client.get(f"/organisations/{organisation.slug}/activity").text
    assert "<strong>Role:</strong> Co-author" in page and "<strong>Merged:</strong> No" in page
    assert "<strong>Before:</strong> Editor" in page and "<strong>After:</strong> Admin" in page
    assert "co_author" not in page and "False" not in page


def test_members_who_are_not_admins_cannot_see_the_activity_log(client):
    organisation = make_organisation(admin=make_user())
    client.login(add_member(organisation, role=Role.EDITOR).user)
    assert client.get(f"/organisations/{organisation.slug}/activity").status_code == 403


def test_platform_admins_see_everything_newest_first_a_page_at_a_time(client):
    for n in range(60):
        record(f"test.event_{n:02d}", actor=None)
    db.session.commit()
    client.login(make_user(platform_admin=True))
    first = client.get("/admin/activity")
    assert first.status_code == 200
    assert first.text.index("test.event_59") < first.text.index("test.event_58")
    assert "test.event_05" not in first.text
    newest_ids = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id.desc())).all()
    assert f"before={newest_ids[49]}" in first.text
    second = client.get(f"/admin/activity?before={newest_ids[49]}")
    assert "test.event_05" in second.text
    assert "test.event_59" not in second.text


def test_the_platform_log_is_for_platform_admins_only(client):
    client.login(make_user())
    assert client.get("/admin/activity").status_code == 403


def test_a_malformed_page_marker_is_ignored(client):
    client.login(make_user(platform_admin=True))
    assert client.get("/admin/activity?before=not-a-number").status_code == 200
