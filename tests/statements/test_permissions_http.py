"""The permissions table as people meet it: every part an organisation plays, every role, every action,
through the pages and buttons that take the action. Allowed means the page works; refused means 403,
or 404 for anyone who may not read the draft at all."""

import pytest
import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Role
from campaigns.statements import amendments, signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Amendment, AmendmentStatus, Participant, ParticipantStatus, Stage
from campaigns.statements.permissions import Action, Part
from tests.factories import make_organisation, make_user
from tests.statements.test_permissions import EXPECTED, _person_in
from tests.submissions.builders import private_reply_with_a_file


def _lead_editor(statement):
    return db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == statement.lead_organisation_id, Membership.role == Role.ADMIN)
    )


def _try(client, statement, action):
    """Take `action` through the app; returns the response and whether it took effect."""
    slug = statement.slug
    lead = _lead_editor(statement)
    if action == Action.READ:
        return client.get(f"/statements/{slug}"), None
    if action == Action.COMMENT:
        return client.get(f"/statements/{slug}/comments/new"), None
    if action == Action.PROPOSE_AMENDMENT:
        return client.get(f"/statements/{slug}/amendments/new"), None
    if action == Action.EDIT:
        return client.get(f"/statements/{slug}/edit"), None
    if action == Action.MANAGE_PARTICIPANTS:
        other = make_organisation()
        response = client.post(
            f"/statements/{slug}/participants", data={"organisation_id": str(other.id), "role": "reviewer"}
        )
        invited = db.session.scalar(sa.select(Participant.id).where(Participant.organisation_id == other.id))
        return response, invited is not None
    if action == Action.PROPOSE:
        response = client.post(f"/statements/{slug}/propose")
        db.session.refresh(statement)
        return response, statement.proposed_revision_id is not None
    if action == Action.APPROVE:
        signoff.propose(statement, actor=lead)
        db.session.commit()
        return client.get(f"/statements/{slug}/decide"), None
    if action == Action.PUBLISH:
        signoff.propose(statement, actor=lead)
        signoff.decide(statement, signoff.Decision.APPROVED, actor=lead)
        db.session.commit()
        response = client.post(f"/statements/{slug}/open")
        db.session.refresh(statement)
        return response, statement.stage == Stage.OPEN
    if action == Action.DECIDE_AMENDMENT:
        changed = StatementText("A changed title", "A summary.", "A body.", ("An ask",))
        amendment = amendments.propose(statement, changed, "Better.", based_on=statement.current_revision, actor=lead)
        db.session.commit()
        response = client.post(f"/statements/{slug}/amendments/{amendment.number}/reject", data={"reason": "No."})
        status = db.session.scalar(sa.select(Amendment.status).where(Amendment.id == amendment.id))
        return response, status == AmendmentStatus.REJECTED
    if action == Action.RESPOND:
        return client.get(f"/statements/{slug}/invitation"), None
    if action == Action.STEP_DOWN:
        return client.get(f"/statements/{slug}/step-down"), None
    if action == Action.SEE_SUBMISSIONS:
        submission_id, attachment_id = private_reply_with_a_file(statement)
        page = client.get(f"/statements/{slug}/submissions/{submission_id}")
        download = client.get(f"/statements/{slug}/submissions/{submission_id}/attachments/{attachment_id}")
        download.close()
        assert download.status_code == page.status_code
        assert ("Not for publication" in page.text) == (page.status_code == 200)
        return page, None
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("part", list(Part))
def test_each_part_and_role_is_allowed_exactly_its_actions_through_the_app(client, part, role, action):
    statement, person = _person_in(part, role)
    client.login(person)
    response, took_effect = _try(client, statement, action)
    allowed = role in EXPECTED.get((part, action), set())
    may_read = role in EXPECTED.get((part, Action.READ), set())
    if allowed:
        assert response.status_code in (200, 302), (part, role, action, response.status_code)
        assert took_effect in (None, True)
    else:
        assert response.status_code == (403 if may_read else 404), (part, role, action, response.status_code)
        assert not took_effect


@pytest.mark.parametrize("action", list(Action))
def test_an_outsider_is_refused_every_action_without_learning_the_draft_exists(client, action):
    statement, _ = _person_in(Part.LEAD, Role.ADMIN)
    person = make_user()
    make_organisation(admin=person)  # an admin elsewhere has no say here
    client.login(person)
    response, took_effect = _try(client, statement, action)
    assert response.status_code == 404
    assert not took_effect
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Participant).where(Participant.status == ParticipantStatus.INVITED)
        )
        == 0
    )
