from datetime import timedelta

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Invitation, InvitationStatus, Membership, Role
from tests.factories import PASSWORD, add_member, make_invitation, make_organisation, make_user
from tests.support.links import path_of


def test_an_admin_invites_a_new_person_who_creates_an_account_from_the_link_and_joins(client, app, deliver):
    admin = make_user(name="Jo Whitfield")
    organisation = make_organisation("Northshire Food Bank", admin=admin)
    client.login(admin)
    response = client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": " Sam@Example.org ", "role": "editor"}
    )
    assert response.status_code == 302
    assert "We have emailed an invitation to sam@example.org" in client.get(response.headers["Location"]).text

    [email] = deliver()
    assert email.recipients == ["sam@example.org"]
    assert email.subject == "Jo Whitfield invited you to join Northshire Food Bank on Common Ground"
    link = path_of(email.link("/invitations/"))

    newcomer = app.test_client()
    page = newcomer.get(link)
    assert "Jo Whitfield has invited" in page.text
    assert "Create an account and join" in page.text
    joined = newcomer.post(f"{link}/register", data={"name": "Sam Patel", "password": PASSWORD})
    assert joined.status_code == 302
    assert joined.headers["Location"] == f"/organisations/{organisation.slug}"
    assert "You are an editor of Northshire Food Bank" in newcomer.get(joined.headers["Location"]).text

    membership = db.session.scalar(sa.select(Membership).where(Membership.role == Role.EDITOR))
    assert membership.user.email == "sam@example.org"
    assert membership.user.email_verified
    assert db.session.scalar(sa.select(Invitation.status)) == InvitationStatus.ACCEPTED
    [answered] = deliver()
    assert answered.recipients == [admin.email]
    assert "accepted your invitation" in answered.text


def test_an_existing_user_accepts_an_invitation_after_signing_in(client, deliver):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    invitee = make_user(email="sam@example.org")
    client.login(admin)
    client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": "sam@example.org", "role": "signatory"}
    )
    client.logout()
    link = path_of(deliver()[0].link("/invitations/"))

    client.login(invitee)
    assert "Accept and join" in client.get(link).text
    response = client.post(f"{link}/accept")
    assert response.status_code == 302
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == invitee.id))
    assert membership.role == Role.SIGNATORY
    assert client.post(f"{link}/accept").status_code == 400


def test_an_invitation_can_only_be_accepted_by_the_address_it_was_sent_to(client):
    organisation = make_organisation(admin=make_user())
    invitation = make_invitation(organisation, "sam@example.org")
    from campaigns.organisations.emails import invitation_token

    token = invitation_token(invitation)
    client.login(make_user(email="someone.else@example.org"))
    assert "this invitation was sent to sam@example.org" in client.get(f"/invitations/{token}").text
    response = client.post(f"/invitations/{token}/accept")
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1


def test_declining_needs_no_account_or_reason_and_tells_the_admins_only_that(client, deliver):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    invitation = make_invitation(organisation, "sam@example.org")
    from campaigns.organisations.emails import invitation_token

    token = invitation_token(invitation)
    response = client.post(f"/invitations/{token}/decline")
    assert response.status_code == 302
    assert db.session.get(Invitation, invitation.id).status == InvitationStatus.DECLINED
    [email] = deliver()
    assert email.recipients == [admin.email]
    assert "declined the invitation" in email.text
    assert "already been declined" in client.get(f"/invitations/{token}").text
    assert client.post(f"/invitations/{token}/decline").status_code == 400


def test_expired_and_tampered_invitations_are_refused(client):
    organisation = make_organisation(admin=make_user())
    from campaigns.organisations.emails import invitation_token

    expired = make_invitation(organisation, "late@example.org", expires_in=timedelta(days=-1))
    token = invitation_token(expired)
    assert "This invitation expired" in client.get(f"/invitations/{token}").text
    response = client.post(f"/invitations/{token}/register", data={"name": "Late", "password": PASSWORD})
    assert response.status_code == 400
    assert "has expired" in response.text
    assert client.get(f"/invitations/{token[:-2]}xx").status_code == 400


def test_inviting_someone_twice_renews_the_open_invitation(client, deliver):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    client.login(admin)
    for role in ("member", "editor"):
        client.post(
            f"/organisations/{organisation.slug}/members/invite", data={"email": "sam@example.org", "role": role}
        )
    invitations = db.session.scalars(sa.select(Invitation)).all()
    assert [(i.email, i.role) for i in invitations] == [("sam@example.org", Role.EDITOR)]
    assert len(deliver()) == 2


def test_inviting_an_existing_member_says_so(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    member = add_member(organisation).user
    client.login(admin)
    page = client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": member.email, "role": "editor"}
    )
    assert page.status_code == 409
    assert "already a member" in page.text


def test_an_admin_can_cancel_and_resend_an_invitation(client, deliver):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    invitation = make_invitation(organisation, "sam@example.org")
    client.login(admin)
    assert "sam@example.org" in client.get(f"/organisations/{organisation.slug}/members").text
    assert client.post(f"/organisations/{organisation.slug}/invitations/{invitation.id}/resend").status_code == 302
    assert [m.recipients for m in deliver()] == [["sam@example.org"]]
    assert client.post(f"/organisations/{organisation.slug}/invitations/{invitation.id}/revoke").status_code == 302
    assert db.session.get(Invitation, invitation.id).status == InvitationStatus.REVOKED


def test_an_admin_changes_a_role_and_the_person_is_told(client, deliver):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    membership = add_member(organisation, role=Role.MEMBER)
    client.login(admin)
    response = client.post(f"/organisations/{organisation.slug}/members/{membership.id}", data={"role": "signatory"})
    assert response.status_code == 302
    assert db.session.get(Membership, membership.id).role == Role.SIGNATORY
    [email] = deliver()
    assert email.recipients == [membership.user.email]
    assert "You are now a signatory of Food Bank" in email.text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.member_role_changed"))
    assert (event.detail["old"], event.detail["new"]) == ("member", "signatory")


def test_an_organisation_always_keeps_an_admin(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    own = db.session.scalar(sa.select(Membership).where(Membership.user_id == admin.id))
    client.login(admin)
    page = client.post(f"/organisations/{organisation.slug}/members/{own.id}", data={"role": "member"})
    assert page.status_code == 409
    assert "must always have at least one admin" in page.text
    page = client.post(f"/organisations/{organisation.slug}/members/{own.id}/remove")
    assert page.status_code == 409
    assert db.session.get(Membership, own.id).role == Role.ADMIN


def test_with_two_admins_one_may_step_down(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    add_member(organisation, role=Role.ADMIN)
    own = db.session.scalar(sa.select(Membership).where(Membership.user_id == admin.id))
    client.login(admin)
    assert (
        client.post(f"/organisations/{organisation.slug}/members/{own.id}", data={"role": "editor"}).status_code == 302
    )
    assert db.session.get(Membership, own.id).role == Role.EDITOR


def test_an_admin_removes_a_member_who_is_told(client, deliver):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    membership = add_member(organisation)
    email_address, membership_id = membership.user.email, membership.id
    client.login(admin)
    page = client.get(f"/organisations/{organisation.slug}/members/{membership_id}/remove")
    assert "will no longer be able to act for" in page.text
    assert client.post(f"/organisations/{organisation.slug}/members/{membership_id}/remove").status_code == 302
    assert db.session.get(Membership, membership_id) is None
    [email] = deliver()
    assert email.recipients == [email_address]


def test_a_member_may_leave_freely(client):
    organisation = make_organisation(admin=make_user())
    membership = add_member(organisation, role=Role.SIGNATORY)
    membership_id = membership.id
    client.login(membership.user)
    response = client.post(f"/organisations/{organisation.slug}/members/{membership_id}/remove")
    assert response.status_code == 302
    assert db.session.get(Membership, membership_id) is None
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "organisation.member_left"))


def test_members_see_the_member_list_but_only_admins_see_addresses_and_controls(client):
    admin = make_user(email="admin@example.org")
    organisation = make_organisation(admin=admin)
    member = add_member(organisation).user
    client.login(member)
    page = client.get(f"/organisations/{organisation.slug}/members")
    assert page.status_code == 200
    assert admin.name in page.text
    assert "admin@example.org" not in page.text
    assert "Invite someone" not in page.text
    assert client.get(f"/organisations/{organisation.slug}/members/invite").status_code == 403


def test_a_member_of_two_organisations_chooses_which_one_they_act_for(client):
    user = make_user()
    first = make_organisation("Alpha Trust", admin=user)
    second = make_organisation("Beta Council", kind="council", subtype="district", admin=None)
    add_member(second, user, Role.EDITOR)
    client.login(user)
    assert "Acting for <strong>Alpha Trust</strong>" in client.get("/account").text
    response = client.post("/account/acting-for?next=/organisations", data={"organisation": str(second.id)})
    assert response.headers["Location"] == "/organisations"
    assert "Acting for <strong>Beta Council</strong>" in client.get("/account").text
    refused = client.post("/account/acting-for", data={"organisation": str(make_organisation().id)})
    assert refused.status_code == 400
    assert "Acting for <strong>Beta Council</strong>" in client.get("/account").text
    assert first.id != second.id


def test_the_last_admin_is_told_why_they_cannot_leave_next_to_the_button(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    own = db.session.scalar(sa.select(Membership).where(Membership.user_id == admin.id))
    client.login(admin)
    page = client.post(f"/organisations/{organisation.slug}/members/{own.id}/remove")
    assert '<a href="#submit">' in page.text


def test_an_unknown_member_or_invitation_is_not_found(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    client.login(admin)
    page = client.get(f"/organisations/{organisation.slug}/members/999999")
    assert page.status_code == 404
    assert "We could not find that member" in page.text
    assert client.post(f"/organisations/{organisation.slug}/invitations/999999/revoke").status_code == 404
    assert client.get(f"/organisations/{organisation.slug}/members/not-a-number").status_code == 404


def test_accepting_and_declining_at_the_same_moment_leaves_one_consistent_answer(client, app):
    from campaigns.organisations.emails import invitation_token
    from tests.support.concurrency import at_once

    organisation = make_organisation(admin=make_user())
    invitee = make_user(email="sam@example.org")
    token = invitation_token(make_invitation(organisation, "sam@example.org"))
    accepting, declining = app.test_client(), app.test_client()
    accepting.login(invitee)
    declining.login(invitee)
    responses = at_once(
        lambda: accepting.post(f"/invitations/{token}/accept"), lambda: declining.post(f"/invitations/{token}/decline")
    )
    assert sorted(r.status_code for r in responses) == [302, 400]
    status = db.session.scalar(sa.select(Invitation.status))
    joined = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == invitee.id)) is not None
    assert (status, joined) in ((InvitationStatus.ACCEPTED, True), (InvitationStatus.DECLINED, False))


def test_the_role_question_has_its_legend_and_each_role_is_explained(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    client.login(admin)
    page = client.get(f"/organisations/{organisation.slug}/members/invite").text
    legend = page[page.index("<legend") : page.index("</legend>")]
    assert "What role should they have?" in legend
    assert "Authorised to sign and approve statements" in page
