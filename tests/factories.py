"""Plain factory functions: rows as a test needs them, committed, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import timedelta
from functools import cache

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.passwords import hash_password
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from campaigns.organisations.names import name_key
from campaigns.slugs import slugify

PASSWORD = "a long and unusual passphrase"
_numbers = itertools.count(1)


@cache
def _password_hash(password: str) -> str:
    return hash_password(password)


def make_user(
    email: str | None = None,
    name: str | None = None,
    *,
    password: str = PASSWORD,
    verified: bool = True,
    platform_admin: bool = False,
) -> User:
    n = next(_numbers)
    user = User(
        email=email or f"person{n}@example.org",
        name=name or f"Person {n}",
        password_hash=_password_hash(password),
        email_verified_at=utcnow() if verified else None,
    )
    user.is_platform_admin = platform_admin
    db.session.add(user)
    db.session.commit()
    return user


def make_organisation(
    name: str | None = None,
    *,
    kind: OrganisationKind = OrganisationKind.VCS,
    subtype: str | None = "charity",
    region: str = "north_east",
    verified: bool = True,
    admin: User | None = None,
    **fields: object,
) -> Organisation:
    n = next(_numbers)
    name = name or f"Organisation {n}"
    if kind == OrganisationKind.COUNCIL and subtype == "charity":
        subtype = "district"
    if kind == OrganisationKind.PUBLIC_BODY:
        subtype = None
    organisation = Organisation(
        name=name, slug=f"{slugify(name)}-{n}", kind=kind, subtype=subtype, region=region, **fields
    )
    # Tests often build two organisations of one name (two partnerships): the second is a twin, as if someone
    # had said it is a different organisation.
    twins = db.session.scalar(
        sa.select(sa.func.max(Organisation.name_twin)).where(Organisation.name_key == name_key(name))
    )
    if twins is not None:
        organisation.name_twin = twins + 1
        organisation.confirmed_distinct_at = utcnow()
    organisation.verified_at = utcnow() if verified else None
    db.session.add(organisation)
    if admin is not None:
        db.session.add(Membership(organisation=organisation, user_id=admin.id, role=Role.ADMIN))
    db.session.commit()
    return organisation


def add_member(organisation: Organisation, user: User | None = None, role: Role = Role.MEMBER) -> Membership:
    user = user or make_user()
    membership = Membership(organisation_id=organisation.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def make_invitation(
    organisation: Organisation,
    email: str | None = None,
    *,
    role: Role = Role.EDITOR,
    invited_by: User | None = None,
    status: InvitationStatus = InvitationStatus.PENDING,
    expires_in: timedelta = timedelta(days=14),
) -> Invitation:
    invitation = Invitation(
        organisation_id=organisation.id,
        email=email or f"invitee{next(_numbers)}@example.org",
        role=role,
        status=status,
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + expires_in,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation
