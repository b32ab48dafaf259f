"""Reading what the privacy pages need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.privacy import retention
from campaigns.signatures.models import Signature, SignatureSettings
from campaigns.statements.models import Revision, Stage, Statement


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


@dataclass(frozen=True)
class ClosedStatement:
    """A closed statement, when its signers' contact details go, and how many signers' details are still held."""

    slug: str
    title: str
    closed_at: datetime
    months: int
    erase_on: datetime
    held: int


def retention_schedule() -> list[ClosedStatement]:
    """Every closed statement, oldest closed first, with its erasure date and the signers whose details it holds."""
    held = (
        sa.select(Signature.statement_id, sa.func.count().label("held"))
        .where(Signature.contact_erased_at.is_(None), Signature.signer_email != "")
        .group_by(Signature.statement_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Statement, SignatureSettings, Revision.title, sa.func.coalesce(held.c.held, 0))
        .outerjoin(SignatureSettings, SignatureSettings.statement_id == Statement.id)
        .outerjoin(Revision, Revision.id == Statement.agreed_revision_id)
        .outerjoin(held, held.c.statement_id == Statement.id)
        .where(Statement.stage == Stage.CLOSED, Statement.closed_at.is_not(None))
        .order_by(Statement.closed_at, Statement.id)
    ).all()
    schedule = []
    for statement, settings, title, count in rows:
        erase_on = retention.erase_after(statement, settings)
        assert statement.closed_at is not None and erase_on is not None
        schedule.append(
            ClosedStatement(
                statement.slug,
                title or statement.slug,
                statement.closed_at,
                retention.months_kept(settings),
                erase_on,
                count,
            )
        )
    return schedule
