"""Reading what the privacy pages need."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role


def organisations_only_they_administer(user: User, *, lock: bool = False) -> list[Organisation]:
    """The organisations of which this person is the only admin, by name (`lock`: hold them until commit)."""
    others = aliased(Membership)
    another_admin = (
        sa.select(others.id)
        .where(
            others.organisation_id == Membership.organisation_id, others.role == Role.ADMIN, others.user_id != user.id
        )
        .exists()
    )
    query = (
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.role == Role.ADMIN, ~another_admin)
        .order_by(Organisation.name, Organisation.id)
    )
    if lock:
        query = query.with_for_update(of=Organisation)
    return list(db.session.scalars(query))


def account_by_email(email: str) -> User | None:
    """The account (not a deleted one) with this address, or None."""
    return db.session.scalar(sa.select(User).where(User.email == email, User.deleted_at.is_(None)))


def longest_standing_member(organisation: Organisation) -> Membership | None:
    """The organisation's member who joined first, or None if it has none."""
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.organisation_id == organisation.id)
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )
