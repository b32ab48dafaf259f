"""Read-only queries for organisation pages. Lists are loaded eagerly and paginated by key."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.accounts.models import User
from campaigns.database import utcnow
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.matching import with_words_starting
from campaigns.organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationMerge,
    Role,
)

DIRECTORY_PAGE_SIZE = 25


def organisation_by_slug(slug: str) -> Organisation:
    """The organisation at this web address, or NotFound."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound("We could not find that organisation.")
    return organisation


def membership_in(organisation: Organisation, membership_id: int) -> Membership:
    """A membership of this organisation, with its person; any other id is not found."""
    membership = db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id, Membership.organisation_id == organisation.id)
        .options(joinedload(Membership.user))
    )
    if membership is None:
        raise NotFound("We could not find that member.")
    return membership


def invitation_in(organisation: Organisation, invitation_id: int) -> Invitation:
    """One of the organisation's invitations by id, or NotFound (never another organisation's)."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id, Invitation.organisation_id == organisation.id)
    )
    if invitation is None:
        raise NotFound("We could not find that invitation.")
    return invitation


def members_of(organisation: Organisation) -> list[Membership]:
    """The organisation's memberships with their people, in name order."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == organisation.id)
            .options(joinedload(Membership.user))
            .order_by(sa.func.lower(User.name), Membership.id)
        )
    )


def open_invitations_of(organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations still waiting for an answer, newest first."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.organisation_id == organisation.id, Invitation.status == InvitationStatus.PENDING)
            .options(joinedload(Invitation.invited_by))
            .order_by(Invitation.created_at.desc())
        )
    )


def pending_invitations_for(email: str) -> list[Invitation]:
    """Unanswered, unexpired invitations sent to this address, for the person who has it."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.email == email,
                Invitation.status == InvitationStatus.PENDING,
                Invitation.expires_at > utcnow(),
            )
            .options(joinedload(Invitation.organisation))
            .order_by(Invitation.created_at)
        )
    )


def awaiting_verification() -> list[Organisation]:
    """Organisations not yet verified by a platform admin, oldest first (merged ones left out)."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.verified_at.is_(None), Organisation.merged_into_id.is_(None))
            .order_by(Organisation.created_at, Organisation.id)
        )
    )


@dataclass(frozen=True)
class DirectoryPage:
    organisations: list[Organisation]
    next_after: int | None


def directory(q: str = "", kind: str = "", region: str = "", after: int | None = None) -> DirectoryPage:
    """Organisations by name, filtered, a page at a time; `after` is the id of the last one shown."""
    sort_name = sa.func.lower(Organisation.name)
    query = sa.select(Organisation).where(Organisation.merged_into_id.is_(None))
    if q:
        query = query.where(with_words_starting(q))
    if kind:
        query = query.where(Organisation.kind == kind)
    if region:
        query = query.where(Organisation.region == region)
    if after is not None:
        # The database lowers the name, so the comparison matches its own ordering exactly.
        last_name = db.session.scalar(sa.select(sort_name).where(Organisation.id == after))
        if last_name is not None:
            query = query.where(
                sa.tuple_(sort_name, Organisation.id) > sa.tuple_(sa.literal(last_name), sa.literal(after))
            )
    rows = list(db.session.scalars(query.order_by(sort_name, Organisation.id).limit(DIRECTORY_PAGE_SIZE + 1)))
    more = len(rows) > DIRECTORY_PAGE_SIZE
    rows = rows[:DIRECTORY_PAGE_SIZE]
    return DirectoryPage(rows, rows[-1].id if more else None)


def listed(
    kind: str = "", region: str = "", after: int | None = None, size: int = DIRECTORY_PAGE_SIZE
) -> DirectoryPage:
    """Organisations as the directory lists them (merged ones left out), oldest first by id, a page of `size` at a
    time; `after` is the id of the last one given. An organisation's place never moves, so paging by id neither skips
    nor repeats one, whatever is added or renamed meanwhile."""
    query = sa.select(Organisation).where(Organisation.merged_into_id.is_(None))
    if kind:
        query = query.where(Organisation.kind == kind)
    if region:
        query = query.where(Organisation.region == region)
    if after is not None:
        query = query.where(Organisation.id > after)
    rows = list(db.session.scalars(query.order_by(Organisation.id).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return DirectoryPage(rows, rows[-1].id if more else None)


def merges() -> list[OrganisationMerge]:
    """Every merge, newest first, with the organisation kept and who merged."""
    return list(
        db.session.scalars(
            sa.select(OrganisationMerge)
            .options(joinedload(OrganisationMerge.kept), joinedload(OrganisationMerge.merged_by))
            .order_by(OrganisationMerge.id.desc())
        )
    )


def admins_of(organisation: Organisation) -> list[User]:
    """The organisation's admins, in the order they joined."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id, Membership.role == Role.ADMIN)
            .order_by(User.id)
        )
    )


def admin_count(organisation: Organisation) -> int:
    """How many admins the organisation has."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == organisation.id, Membership.role == Role.ADMIN)
        )
        or 0
    )
