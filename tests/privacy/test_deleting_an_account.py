"""A person deletes their account: they are erased, and what they did for their organisations stays true."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts import services as accounts
from campaigns.accounts.models import User
from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.mailings.models import Suppression
from campaigns.organisations.models import Membership, Role
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.privacy import exports
from campaigns.privacy.models import DataExport
from campaigns.signatures.models import Signature, SignatureCount
from campaigns.submissions.models import Submission, SubmissionSignatory
from tests.factories import PASSWORD, add_member, make_organisation, make_user
from tests.privacy.builders import EMAIL, FIRST_NAME, NAME, a_person_with_a_history, mentions


def test_a_deleted_account_leaves_no_name_or_address_anywhere_and_every_count_and_frozen_list_exact(client, deliver):
    p, person, submission = a_person_with_a_history(deliver)
    assert mentions(NAME) and mentions(EMAIL) and mentions(FIRST_NAME)  # planted everywhere it can be
    counts = db.session.execute(sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count)).all()
    frozen = db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionSignatory))
    client.login(person)
    client.post("/account/data")  # a copy of their data, built and waiting to be downloaded
    deliver()
    download = exports.folder() / db.session.scalar(sa.select(DataExport.stored_name))
    assert download.is_file()
    accounts.request_password_reset(EMAIL)  # still waiting in the outbox when they delete their account
    db.session.commit()

    page = client.post("/account/delete", data={"password": PASSWORD})

    assert page.status_code == 302 and page.headers["Location"] == "/"
    db.session.expire_all()
    assert mentions(NAME) == [] and mentions(FIRST_NAME) == [] and mentions(EMAIL) == []
    assert db.session.scalar(sa.select(DataExport.expired_at)) is not None
    deliver()  # the worker deletes the file once the deletion is committed
    assert not download.exists()
    assert mentions("Quartermain") == []
    assert db.session.execute(sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count)).all() == (
        counts
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionSignatory)) == frozen
    # The printed pack's digest still checks out, and the council is still on the list it sent.
    digest = db.session.get(Submission, submission.id).digest
    verified = client.get(f"/verify/{digest}")
    assert verified.status_code == 200 and p.council.name in verified.text
    signature = db.session.scalar(sa.select(Signature).where(Signature.organisation_id == p.council.id))
    assert signature.signer_name == "a former member" and signature.status == "confirmed"
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(Membership.user_id == person.id))
        == 0
    )
    waiting = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.template == "password_reset").order_by(OutboxMessage.id.desc())
    )
    assert waiting.status == OutboxStatus.CANCELLED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 0
    # They can no longer sign in.
    assert client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD}).status_code == 400


def test_after_deletion_public_and_activity_pages_show_a_former_member(client, deliver):
    p, person, _submission = a_person_with_a_history(deliver)
    client.login(person)
    client.post("/account/delete", data={"password": PASSWORD})

    client.login(p.council_editor)
    pages = [
        client.get(f"/organisations/{p.council.slug}/activity"),
        client.get(f"/statements/{p.statement.slug}/revisions/2"),
        client.get(f"/s/{p.statement.slug}/signatories"),
        client.get(f"/s/{p.statement.slug}"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert NAME not in page.text and EMAIL not in page.text and "Quartermain" not in page.text
    assert "a former member" in pages[0].text  # who did each thing
    assert "A member&#39;s account was deleted, so their membership ended" in pages[0].text
    assert "a former member" in pages[1].text  # who wrote revision 2
    assert p.council.name in pages[2].text


def test_deleting_needs_the_password_and_a_wrong_one_changes_nothing(client):
    person = make_user(EMAIL, NAME)
    client.login(person)
    assert "Delete your account" in client.get("/account").text

    page = client.post("/account/delete", data={"password": "not my password"})

    assert page.status_code == 400 and "Your password is not correct" in page.text
    db.session.expire_all()
    assert db.session.get(User, person.id).email == EMAIL


def test_an_address_goes_on_the_suppression_list_only_when_asked(client):
    person = make_user(EMAIL, NAME)
    client.login(person)

    client.post("/account/delete", data={"password": PASSWORD, "suppress": "y"})

    suppression = db.session.scalar(sa.select(Suppression))
    assert (suppression.email, suppression.statement_id) == (EMAIL, None)
    assert mentions(NAME) == []


def test_an_organisations_only_admin_is_told_to_appoint_another_first(client):
    person = make_user(EMAIL, NAME)
    organisation = make_organisation("Quiet Valley Trust", admin=person)
    colleague = add_member(organisation, make_user(name="Colin Colleague"), Role.EDITOR).user
    client.login(person)

    page = client.get("/account/delete")
    assert "You are the only admin of 1 organisation" in page.text and "Quiet Valley Trust" in page.text
    refused = client.post("/account/delete", data={"password": PASSWORD})

    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, person.id).email == EMAIL
    # Made someone else an admin, they can go.
    db.session.execute(sa.update(Membership).where(Membership.user_id == colleague.id).values(role=Role.ADMIN))
    db.session.commit()
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302


def test_a_platform_admin_deletes_an_only_admins_account_and_the_longest_standing_member_takes_over(client, deliver):
    person = make_user(EMAIL, NAME)
    organisation = make_organisation("Quiet Valley Trust", admin=person)
    colleague = add_member(organisation, make_user("colin@example.org", "Colin Colleague"), Role.EDITOR).user
    add_member(organisation, make_user(name="Newer Member"), Role.MEMBER)
    client.login(make_user(platform_admin=True))

    page = client.post("/admin/accounts/delete", data={"email": EMAIL}, follow_redirects=True)

    assert "Colin Colleague is now the admin of Quiet Valley Trust" in page.text
    role = db.session.scalar(sa.select(Membership.role).where(Membership.user_id == colleague.id))
    assert role == Role.ADMIN
    [email] = [message for message in deliver() if message.recipients == ["colin@example.org"]]
    assert "You are now an admin of Quiet Valley Trust" in email.text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.member_role_changed"))
    assert (event.detail["old"], event.detail["new"]) == ("editor", "admin")
    assert mentions(NAME) == [] and mentions(EMAIL) == []
