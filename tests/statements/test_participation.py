import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.models import Role
from campaigns.statements import signoff
from campaigns.statements.models import Approval, Decision, Participant, ParticipantRole, ParticipantStatus
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import partnership, start_statement


def participant(statement, organisation):
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.statement_id == statement.id, Participant.organisation_id == organisation.id
        )
    )


def test_the_lead_finds_an_organisation_by_name_and_invites_it_whose_admins_are_emailed(client, deliver):
    editor = make_user()
    council = make_organisation("Wexdale District Council", admin=editor)
    charity_admin = make_user(email="admin@foodbank.example.org")
    charity = make_organisation("Wexdale Food Bank", admin=charity_admin)
    add_member(charity, role=Role.EDITOR)  # not an admin: not emailed
    statement = start_statement(editor, council)
    client.login(editor)
    results = client.get(f"/statements/{statement.slug}/participants?q=food").text
    assert "Wexdale Food Bank" in results
    assert "Wexdale District Council" not in results.split("matching")[1]  # already taking part
    response = client.post(
        f"/statements/{statement.slug}/participants?q=food",
        data={"organisation_id": str(charity.id), "role": "co_author"},
    )
    assert response.status_code == 302
    assert participant(statement, charity).status == ParticipantStatus.INVITED
    [email] = deliver()
    assert email.recipients == ["admin@foodbank.example.org"]
    assert "to co-author a statement" in email.subject
    assert f"/statements/{statement.slug}/invitation" in email.text


def test_an_invited_admin_reads_the_draft_and_accepts(client):
    editor = make_user()
    statement = start_statement(editor, make_organisation(admin=editor))
    admin = make_user()
    charity = make_organisation("Food Bank", admin=admin)
    client.login(editor)
    client.post(
        f"/statements/{statement.slug}/participants", data={"organisation_id": str(charity.id), "role": "co_author"}
    )
    client.logout()
    client.login(admin)
    assert "Answer the invitation" in client.get(f"/statements/{statement.slug}").text
    response = client.post(f"/statements/{statement.slug}/invitation", data={"answer": "accept"})
    assert response.status_code == 302
    assert participant(statement, charity).status == ParticipantStatus.ACTIVE
    assert "Edit the statement" in client.get(f"/statements/{statement.slug}").text


def test_declining_keeps_the_reason_private_and_carries_no_penalty(client, deliver):
    editor = make_user(email="lead@example.org")
    statement = start_statement(editor, make_organisation(admin=editor))
    admin = make_user()
    charity = make_organisation("Food Bank", admin=admin)
    client.login(editor)
    client.post(
        f"/statements/{statement.slug}/participants", data={"organisation_id": str(charity.id), "role": "co_author"}
    )
    client.logout()
    deliver()
    client.login(admin)
    client.post(
        f"/statements/{statement.slug}/invitation", data={"answer": "decline", "reason": "Our board is not ready."}
    )
    assert participant(statement, charity).status == ParticipantStatus.DECLINED
    assert client.get(f"/statements/{statement.slug}").status_code == 404  # no longer sees the draft
    [email] = deliver()
    assert email.recipients == ["lead@example.org"] and "Our board is not ready." in email.text
    client.logout()
    # The lead sees the reason; the organisation can be invited again.
    client.login(editor)
    page = client.get(f"/statements/{statement.slug}/participants").text
    assert "Our board is not ready." in page and "Declined" in page
    client.post(
        f"/statements/{statement.slug}/participants", data={"organisation_id": str(charity.id), "role": "reviewer"}
    )
    assert participant(statement, charity).status == ParticipantStatus.INVITED
    assert participant(statement, charity).private_reason == ""


def test_only_the_invited_organisations_admin_may_answer(client):
    editor = make_user()
    statement = start_statement(editor, make_organisation(admin=editor))
    charity = make_organisation(admin=make_user())
    editor_there = add_member(charity, role=Role.EDITOR).user
    client.login(editor)
    client.post(
        f"/statements/{statement.slug}/participants", data={"organisation_id": str(charity.id), "role": "co_author"}
    )
    client.logout()
    client.login(editor_there)
    assert client.get(f"/statements/{statement.slug}/invitation").status_code == 404
    assert client.post(f"/statements/{statement.slug}/invitation", data={"answer": "accept"}).status_code == 404
    assert participant(statement, charity).status == ParticipantStatus.INVITED


def test_answering_twice_is_refused(client):
    p = partnership()
    client.login(p.charity_admin)
    assert client.post(f"/statements/{p.statement.slug}/invitation", data={"answer": "decline"}).status_code == 403


def test_inviting_an_organisation_already_taking_part_says_so(client):
    p = partnership()
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/participants", data={"organisation_id": str(p.charity.id), "role": "reviewer"}
    )
    assert response.status_code == 302
    assert "already takes part" in client.get(response.headers["Location"]).text
    assert participant(p.statement, p.charity).role == ParticipantRole.CO_AUTHOR


def test_inviting_an_unknown_organisation_is_not_found(client):
    p = partnership()
    client.login(p.council_editor)
    for organisation_id in ("999999", "abc", ""):
        response = client.post(
            f"/statements/{p.statement.slug}/participants",
            data={"organisation_id": organisation_id, "role": "co_author"},
        )
        assert response.status_code in (400, 404)


def test_only_the_lead_invites(client):
    p = partnership()
    outsider = make_organisation()
    client.login(p.charity_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/participants", data={"organisation_id": str(outsider.id), "role": "co_author"}
    )
    assert response.status_code == 403
    assert participant(p.statement, outsider) is None


def test_a_co_author_steps_down_and_its_approval_is_cleared(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
    db.session.commit()
    client.login(p.charity_admin)
    response = client.post(f"/statements/{p.statement.slug}/step-down", data={"reason": ""})
    assert response.status_code == 302
    assert participant(p.statement, p.charity).status == ParticipantStatus.STEPPED_DOWN
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Approval).where(Approval.organisation_id == p.charity.id)
        )
        == 0
    )


def test_when_the_last_holdout_steps_down_the_rest_have_agreed(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    db.session.commit()
    client.login(p.charity_admin)
    client.post(f"/statements/{p.statement.slug}/step-down", data={})
    db.session.refresh(p.statement)
    assert p.statement.agreed_revision_id == p.statement.current_revision_id


def test_the_lead_cannot_step_down(client):
    p = partnership()
    client.login(p.council_editor)
    assert client.get(f"/statements/{p.statement.slug}/step-down").status_code == 403
