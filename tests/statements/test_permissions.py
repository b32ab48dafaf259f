"""The statements permissions table, cell by cell: every part an organisation plays, every role, every action."""

import pytest
from flask_login import AnonymousUserMixin

from campaigns.extensions import db
from campaigns.organisations.models import Role
from campaigns.statements import participation
from campaigns.statements.models import ParticipantRole
from campaigns.statements.permissions import PERMISSIONS, Action, Part, can
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import join, start_statement
from tests.test_list_queries import statements_run

A = Action
EVERYONE = set(Role)
EDITORS = {Role.ADMIN, Role.EDITOR}
SIGNATORIES = {Role.ADMIN, Role.SIGNATORY}

#: What we promise, written out in full: (part, action) -> the roles that may.
EXPECTED: dict[tuple[Part, Action], set[Role]] = {
    **{(part, A.READ): EVERYONE for part in (Part.LEAD, Part.CO_AUTHOR, Part.REVIEWER)},
    (Part.INVITED, A.READ): {Role.ADMIN},
    **{(part, A.COMMENT): EVERYONE for part in (Part.LEAD, Part.CO_AUTHOR, Part.REVIEWER)},
    **{(part, A.PROPOSE_AMENDMENT): EVERYONE for part in (Part.LEAD, Part.CO_AUTHOR, Part.REVIEWER)},
    **{(part, A.EDIT): EDITORS for part in (Part.LEAD, Part.CO_AUTHOR)},
    **{(part, A.DECIDE_AMENDMENT): EDITORS for part in (Part.LEAD, Part.CO_AUTHOR)},
    (Part.LEAD, A.MANAGE_PARTICIPANTS): EDITORS,
    (Part.LEAD, A.PROPOSE): EDITORS,
    **{(part, A.APPROVE): SIGNATORIES for part in (Part.LEAD, Part.CO_AUTHOR)},
    (Part.LEAD, A.PUBLISH): EDITORS,
    (Part.INVITED, A.RESPOND): {Role.ADMIN},
    **{(part, A.STEP_DOWN): {Role.ADMIN} for part in (Part.CO_AUTHOR, Part.REVIEWER)},
    # Private replies and attached files: the co-authors' people only; reviewers see what the public page shows.
    **{(part, A.SEE_SUBMISSIONS): EVERYONE for part in (Part.LEAD, Part.CO_AUTHOR)},
}


def test_the_table_in_the_code_is_the_table_we_promise():
    table = {
        (part, action): {role for p, role in PERMISSIONS[action] if p == part} for part in Part for action in Action
    }
    assert {cell: roles for cell, roles in table.items() if roles} == EXPECTED


def _person_in(part: Part, role: Role):
    """A statement, and a person with `role` in an organisation playing `part` in it."""
    lead_editor = make_user()
    lead = make_organisation(admin=lead_editor)
    statement = start_statement(lead_editor, lead)
    if part == Part.LEAD:
        return statement, (lead_editor if role == Role.ADMIN else add_member(lead, role=role).user)
    admin = make_user()
    organisation = make_organisation(admin=admin)
    person = admin if role == Role.ADMIN else add_member(organisation, role=role).user
    participant_role = ParticipantRole.REVIEWER if part == Part.REVIEWER else ParticipantRole.CO_AUTHOR
    if part == Part.INVITED:
        participation.invite(statement, organisation, participant_role, actor=lead_editor)
        db.session.commit()
    else:
        join(statement, organisation, participant_role, by=lead_editor, admin=admin)
    return statement, person


@pytest.mark.parametrize("part", list(Part))
@pytest.mark.parametrize("role", list(Role))
def test_each_part_and_role_may_do_exactly_its_actions(app, part, role):
    statement, person = _person_in(part, role)
    allowed = {action for action in Action if can(person, statement, action)}
    expected = {action for action in Action if role in EXPECTED.get((part, action), set())}
    assert allowed == expected


@pytest.mark.parametrize("ended", ["declined", "stepped_down", "withdrawn"])
def test_an_organisation_no_longer_taking_part_may_do_nothing(app, ended):
    lead_editor = make_user()
    statement = start_statement(lead_editor, make_organisation(admin=lead_editor))
    admin = make_user()
    organisation = make_organisation(admin=admin)
    participant = participation.invite(statement, organisation, ParticipantRole.CO_AUTHOR, actor=lead_editor)
    if ended == "declined":
        participation.respond(statement, participant, actor=admin, accept=False)
    elif ended == "stepped_down":
        participation.respond(statement, participant, actor=admin, accept=True)
        participation.step_down(statement, participant, actor=admin)
    else:
        participation.withdraw_invitation(statement, participant, actor=lead_editor)
    db.session.commit()
    assert not any(can(admin, statement, action) for action in Action)


def test_outsiders_and_platform_admins_may_do_nothing_with_a_draft(app):
    statement = start_statement()
    for person in (make_user(), make_user(platform_admin=True), AnonymousUserMixin()):
        assert not any(can(person, statement, action) for action in Action)


def test_what_a_person_may_do_is_remembered_while_nothing_changes_and_read_afresh_after_a_change(app):
    lead_editor = make_user()
    statement = start_statement(lead_editor, make_organisation(admin=lead_editor))
    admin = make_user()
    organisation = make_organisation(admin=admin)
    db.session.commit()
    assert not can(admin, statement, Action.RESPOND)
    with statements_run() as seen:
        assert not can(admin, statement, Action.READ)
    assert seen == [], "asked again with nothing written since: the remembered answer, without SQL"
    participant = participation.invite(statement, organisation, ParticipantRole.CO_AUTHOR, actor=lead_editor)
    # The invitation was flushed, so the answer is read again: no stale "no" lets the invitation go unanswered.
    assert can(admin, statement, Action.RESPOND)
    participation.respond(statement, participant, actor=admin, accept=True)
    assert can(admin, statement, Action.EDIT)
    db.session.rollback()
    assert not can(admin, statement, Action.RESPOND)
