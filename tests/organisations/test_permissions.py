"""Every cell of the role table, checked against the code that every view asks."""

import pytest

from campaigns.organisations.models import Role
from campaigns.organisations.permissions import ROLE_PERMISSIONS, Permission, can
from tests.factories import add_member, make_organisation, make_user

P = Permission
EXPECTED = {
    Role.ADMIN: {
        P.VIEW_MEMBERS,
        P.MANAGE_PROFILE,
        P.MANAGE_MEMBERS,
        P.VIEW_AUDIT_LOG,
        P.MANAGE_WEBHOOKS,
        P.EDIT_STATEMENTS,
        P.SIGN,
        P.COMMENT,
    },
    Role.EDITOR: {P.VIEW_MEMBERS, P.EDIT_STATEMENTS, P.COMMENT},
    Role.SIGNATORY: {P.VIEW_MEMBERS, P.SIGN, P.COMMENT},
    Role.MEMBER: {P.VIEW_MEMBERS, P.COMMENT},
}


def test_the_table_is_what_we_promise():
    assert {role: set(permissions) for role, permissions in ROLE_PERMISSIONS.items()} == EXPECTED


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_each_role_has_exactly_its_permissions(app, role, permission):
    organisation = make_organisation()
    user = add_member(organisation, role=role).user
    assert can(user, organisation, permission) is (permission in EXPECTED[role])


@pytest.mark.parametrize("permission", list(Permission))
def test_outsiders_and_platform_admins_have_no_say_in_an_organisation(app, permission):
    organisation = make_organisation()
    member_elsewhere = add_member(make_organisation(), role=Role.ADMIN).user
    assert not can(member_elsewhere, organisation, permission)
    assert not can(make_user(platform_admin=True), organisation, permission)
