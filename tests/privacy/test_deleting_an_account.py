"""A person deletes their account: they are erased, and what they did for their organisations stays true."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from campaigns.accounts import services as accounts
from campaigns.accounts.models import User
from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.mailings.models import Suppression
from campaigns.organisations import services as organisations
from campaigns.organisations.models import Membership, Role
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.signatures.models import Signature, SignatureCount
from campaigns.statements import amendments, discussion, signoff
from campaigns.statements.models import Decision
from campaigns.submissions.models import Submission, SubmissionSignatory
from tests.factories import PASSWORD, add_member, make_organisation, make_user
from tests.signatures.builders import confirmed
from tests.statements.builders import TEXT, partnership
from tests.statements.helpers import edit, replace_paragraph
from tests.submissions.builders import AGREED_AT, send

NAME = "Zebedee Quartermain"
FIRST_NAME = "Zeb Quartermaine-Smythe"
EMAIL = "zebedee.q@quartermain.example.org"


def every_text_in_the_database() -> list[tuple[str, str, str]]:
    """(table, column, value) for every string, text and JSON value in every table."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON | sa.Enum)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*(sa.cast(c, sa.Text) for c in columns))):
            found += [(table.name, c.name, value) for c, value in zip(columns, row, strict=True) if value]
    return found


def mentions(needle: str) -> list[tuple[str, str]]:
    return [(table, column) for table, column, value in every_text_in_the_database() if needle.lower() in value.lower()]


def a_person_with_a_history(deliver):
    """Someone who wrote a revision, a comment and an amendment, approved and signed for their council, was
    frozen into a list sent to government, was emailed, invited elsewhere, and changed their name once."""
    with clock_at(AGREED_AT):  # agreed and signed before the date it was sent on
        p = partnership()
        person = make_user(EMAIL, FIRST_NAME)
        add_member(p.council, person, Role.ADMIN)
        accounts.change_name(person, NAME)
        db.session.commit()
        edit(p.statement, person, body=replace_paragraph(p.statement.current_revision.body, 0, "Councils need more."))
        discussion.add_comment(p.statement, "Should we name the minister?", actor=person)
        first = p.statement.current_revision
        amendments.propose(
            p.statement,
            dataclasses.replace(TEXT, body=replace_paragraph(first.body, 2, "A lasting settlement.")),
            "Clearer.",
            based_on=first,
            actor=p.charity_editor,
        )
        db.session.commit()
        signoff.propose(p.statement, actor=person)
        signoff.decide(p.statement, Decision.APPROVED, actor=person)
        signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
        signoff.open_for_signatures(p.statement, actor=person)
        db.session.commit()
        confirmed(p.statement, p.council, person)
        confirmed(p.statement, p.charity, p.charity_signatory)
    [submission] = send(p)
    reviewer_admin = organisations.admins_of(p.reviewer)[0]
    organisations.invite(p.reviewer, EMAIL, Role.MEMBER, actor=reviewer_admin)
    db.session.commit()
    deliver()
    accounts.request_password_reset(EMAIL)  # still waiting in the outbox when they delete their account
    db.session.commit()
    return p, person, submission


def test_a_deleted_account_leaves_no_name_or_address_anywhere_and_every_count_and_frozen_list_exact(client, deliver):
    p, person, submission = a_person_with_a_history(deliver)
    assert mentions(NAME) and mentions(EMAIL) and mentions(FIRST_NAME)  # planted everywhere it can be
    counts = db.session.execute(sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count)).all()
    frozen = db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionSignatory))
    client.login(person)

    page = client.post("/account/delete", data={"password": PASSWORD})

    assert page.status_code == 302 and page.headers["Location"] == "/"
    db.session.expire_all()
    assert mentions(NAME) == [] and mentions(FIRST_NAME) == [] and mentions(EMAIL) == []
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
    waiting = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "password_reset"))
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
    assert b"Quiet Valley Trust" in email.raw and b"admin" in email.raw.lower()
    assert mentions(NAME) == [] and mentions(EMAIL) == []
