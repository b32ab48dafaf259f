import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from tests.factories import make_organisation, make_user


def test_platform_admins_have_a_queue_of_organisations_awaiting_verification(client):
    make_organisation("Checked Charity", verified=True)
    waiting = make_organisation("New Food Bank", verified=False, charity_number="1234567")
    client.login(make_user(platform_admin=True))
    page = client.get("/admin/organisations")
    assert page.status_code == 200
    assert "New Food Bank" in page.text
    assert "Charity 1234567" in page.text
    assert "Checked Charity" not in page.text
    assert waiting.slug in page.text


def test_verifying_records_who_and_when_and_tells_the_organisations_admins(client, deliver):
    admin = make_user()
    organisation = make_organisation("New Food Bank", verified=False, admin=admin)
    platform_admin = make_user(platform_admin=True)
    client.login(platform_admin)
    assert client.post(f"/organisations/{organisation.slug}/verify").status_code == 302
    saved = db.session.get(Organisation, organisation.id)
    assert saved.verified_at is not None
    assert saved.verified_by_id == platform_admin.id
    assert "No organisations are waiting to be verified" in client.get("/admin/organisations").text
    [email] = deliver()
    assert email.recipients == [admin.email]
    assert "is now verified" in email.subject
    assert client.post(f"/organisations/{organisation.slug}/verify").status_code == 400


def test_unverified_organisations_are_marked_wherever_they_appear(client):
    make_organisation("Unchecked Group", verified=False)
    make_organisation("Checked Group", verified=True)
    directory = client.get("/organisations?q=group").text
    unchecked = directory[directory.index("Unchecked Group") :]
    assert "Unverified" in unchecked[:300]
    checked = directory[directory.index("Checked Group") :]
    assert "Unverified" not in checked[:300]


def test_withdrawing_verification_needs_a_reason_that_goes_in_the_log(client):
    organisation = make_organisation(verified=True)
    client.login(make_user(platform_admin=True))
    assert (
        client.post(f"/organisations/{organisation.slug}/withdraw-verification", data={"reason": ""}).status_code == 400
    )
    response = client.post(
        f"/organisations/{organisation.slug}/withdraw-verification", data={"reason": "Not a real charity"}
    )
    assert response.status_code == 302
    assert not db.session.get(Organisation, organisation.id).is_verified
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.verification_withdrawn"))
    assert event.detail == {"reason": "Not a real charity"}


def test_only_platform_admins_verify(client):
    organisation = make_organisation(verified=False, admin=(admin := make_user()))
    client.login(admin)
    assert client.get("/admin/organisations").status_code == 403
    assert client.post(f"/organisations/{organisation.slug}/verify").status_code == 403
    assert not db.session.get(Organisation, organisation.id).is_verified


def test_two_platform_admins_verifying_at_once_both_get_an_answer_and_it_is_recorded_once(client, app):
    from tests.support.concurrency import at_once

    organisation = make_organisation(verified=False)
    first, second = app.test_client(), app.test_client()
    first.login(make_user(platform_admin=True))
    second.login(make_user(platform_admin=True))
    url = f"/organisations/{organisation.slug}/verify"
    statuses = sorted(r.status_code for r in at_once(lambda: first.post(url), lambda: second.post(url)))
    assert statuses == [302, 400]
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "organisation.verified")).all()
    assert len(events) == 1


def test_the_unverified_mark_shows_in_the_header_the_activity_log_the_queue_and_invitations(client):
    from campaigns.audit.services import record
    from campaigns.organisations.emails import invitation_token
    from tests.factories import make_invitation

    admin = make_user(platform_admin=True)
    organisation = make_organisation("Unchecked Group", verified=False, admin=admin)
    record("organisation.created", organisation, organisation=organisation, actor=admin)
    db.session.commit()
    client.login(admin)
    tag = "Unverified</strong>"
    header = client.get("/account").text
    assert "Acting for <strong>Unchecked Group</strong>" in header
    assert tag in header[header.index("Acting for") :][:300]
    log = client.get("/admin/activity").text
    assert tag in log[log.index("Unchecked Group") :][:200]
    queue = client.get("/admin/organisations").text
    assert tag in queue[queue.index("Unchecked Group") :][:200]
    invitation = client.get(f"/invitations/{invitation_token(make_invitation(organisation))}").text
    heading = invitation[invitation.index("<h1") :][:300]
    assert "Unchecked Group" in heading and tag in heading
