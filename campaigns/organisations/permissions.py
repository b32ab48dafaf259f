"""Who may do what for an organisation: one table, read by every check."""

from __future__ import annotations

import enum

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.errors import PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role


class Permission(enum.StrEnum):
    VIEW_MEMBERS = "view_members"
    MANAGE_PROFILE = "manage_profile"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT_LOG = "view_audit_log"
    EDIT_STATEMENTS = "edit_statements"
    SIGN = "sign"
    COMMENT = "comment"
    #: Register webhook endpoints and see their deliveries (admins only).
    MANAGE_WEBHOOKS = "manage_webhooks"


_EVERY_MEMBER = {Permission.VIEW_MEMBERS, Permission.COMMENT}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset({*_EVERY_MEMBER, Permission.EDIT_STATEMENTS}),
    Role.SIGNATORY: frozenset({*_EVERY_MEMBER, Permission.SIGN}),
    Role.MEMBER: frozenset(_EVERY_MEMBER),
}


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    """The user's membership of `organisation`, from their loaded memberships when the user loader loaded them."""
    if not user.is_authenticated:
        return None
    if "memberships" in sa.inspect(user).dict:
        return next((m for m in user.memberships if m.organisation_id == organisation.id), None)
    return db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    )


def can(user: User, organisation: Organisation, permission: Permission) -> bool:
    """Whether the person's role in the organisation gives them this permission."""
    membership = membership_of(user, organisation)
    return membership is not None and permission in ROLE_PERMISSIONS[membership.role]


def require(user: User, organisation: Organisation, permission: Permission) -> None:
    """Refuse (PermissionDenied) unless the person's role in the organisation gives them this permission."""
    if not can(user, organisation, permission):
        raise PermissionDenied(f"You do not have permission to do this for {organisation.name}.")


def require_platform_admin(user: User) -> None:
    """Refuse (PermissionDenied) anyone who is not a signed-in platform admin."""
    if not (user.is_authenticated and user.is_platform_admin):
        raise PermissionDenied("Only platform administrators can do this.")
