"""Organisations and memberships: creating and editing profiles, inviting people, roles and verification."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from campaigns.accounts import queries as accounts_queries
from campaigns.accounts import services as accounts
from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, InvalidLink, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations import emails, queries
from campaigns.organisations.events import organisation_changed
from campaigns.organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from campaigns.organisations.names import name_key
from campaigns.organisations.permissions import Permission, require, require_platform_admin
from campaigns.organisations.queries import admins_of  # re-exported: other areas tell an organisation's admins
from campaigns.tokens import read_token

INVITATION_LIFETIME = timedelta(days=14)


@dataclasses.dataclass(frozen=True)
class Profile:
    """Everything an admin edits about an organisation, already validated and normalised by the form."""

    name: str
    kind: OrganisationKind
    subtype: str | None
    region: str
    website: str | None = None
    contact_email: str | None = None
    description: str = ""
    charity_number: str | None = None
    company_number: str | None = None
    gss_code: str | None = None


class EditConflict(Conflict):
    """Someone else saved the profile after this edit began; nothing was overwritten."""

    def __init__(self, organisation: Organisation, changed: list[str]) -> None:
        super().__init__(
            "Someone else changed this profile while you were editing it. Your changes have not been saved yet."
        )
        self.organisation = organisation
        self.changed = changed


class AlreadyMember(Conflict):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(f"That person is already a member of {organisation.name}.")


class LastAdmin(Conflict):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(f"{organisation.name} must always have at least one admin. Make someone else an admin first.")


def require_verified_email(actor: User) -> None:
    """Refuse (PermissionDenied) a person whose email address is not yet confirmed."""
    if not actor.email_verified:
        raise PermissionDenied("Confirm your email address first.")


class NumberTaken(Conflict):
    """A registered number belongs to another organisation already: it means that organisation."""

    def __init__(self, organisation: Organisation, field: str) -> None:
        super().__init__(
            f"That {IDENTIFIER_LABELS[field]} belongs to {organisation.name}, which is already on Common Ground. "
            "Ask its admins to invite you, or check the number."
        )
        self.organisation = organisation
        self.field = field


IDENTIFIER_LABELS = {
    "charity_number": "charity number",
    "company_number": "company number",
    "gss_code": "GSS code",
}


def check_numbers(profile: Profile, organisation: Organisation | None = None) -> None:
    """A registered number always means the same organisation: refuse one that is another's."""
    for column in IDENTIFIER_LABELS:
        value = getattr(profile, column)
        if value is None:
            continue
        owner = db.session.scalar(sa.select(Organisation).where(getattr(Organisation, column) == value))
        if owner is not None and owner is not organisation:
            raise NumberTaken(owner, column)


class NameTaken(Conflict):
    """Renaming would give an organisation the name of another: they may be one organisation to merge."""

    def __init__(self, other: Organisation) -> None:
        super().__init__(
            f"{other.name} is already on Common Ground under that name. If it is the same organisation, "
            "ask a platform admin to merge the two."
        )
        self.other = other
        self.field = "name"


def _check_name(profile: Profile, organisation: Organisation) -> None:
    key = name_key(profile.name)
    if key == organisation.name_key:
        return
    other = db.session.scalar(
        sa.select(Organisation).where(Organisation.name_key == key, Organisation.id != organisation.id).limit(1)
    )
    if other is not None:
        raise NameTaken(other)


def update_profile(organisation: Organisation, profile: Profile, *, actor: User, based_on_version: int) -> None:
    """Save `profile` if nobody else saved since `based_on_version`; otherwise raise EditConflict."""
    require(actor, organisation, Permission.MANAGE_PROFILE)
    changes = {
        field: (getattr(organisation, field), value)
        for field, value in dataclasses.asdict(profile).items()
        if getattr(organisation, field) != value
    }
    if organisation.version != based_on_version:
        raise EditConflict(organisation, changed=sorted(changes))
    if not changes:
        return
    _check_name(profile, organisation)
    check_numbers(profile, organisation)
    try:
        with db.session.begin_nested():
            for field, (_old, new) in changes.items():
                setattr(organisation, field, new)
    except StaleDataError:
        # Saved by someone else between our read and our write: the version column caught it.
        db.session.refresh(organisation)
        raise EditConflict(organisation, changed=sorted(changes)) from None
    record(
        "organisation.updated",
        organisation,
        organisation=organisation,
        changed={
            field: [str(old) if old is not None else None, str(new) if new is not None else None]
            for field, (old, new) in changes.items()
        },
        actor=actor,
    )
    if changes.keys() & {"kind", "region"}:  # signatures keep both, for counting and the public list
        organisation_changed.send(organisation)


def _lock(organisation: Organisation) -> None:
    """Serialise changes to one organisation and re-read it (PostgreSQL row lock; SQLite's write lock already does)."""
    db.session.execute(sa.select(Organisation.id).where(Organisation.id == organisation.id).with_for_update())
    db.session.refresh(organisation)


def invite(organisation: Organisation, email: str, role: Role, *, actor: User) -> Invitation:
    """Invite an address to join in `role`; inviting again renews the open invitation and resends it."""
    require(actor, organisation, Permission.MANAGE_MEMBERS)
    already = db.session.scalar(
        sa.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, User.email == email)
    )
    if already is not None:
        raise AlreadyMember(organisation)
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.organisation_id == organisation.id,
            Invitation.email == email,
            Invitation.status == InvitationStatus.PENDING,
        )
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email, role=role, invited_by_id=actor.id)
        invitation.expires_at = utcnow() + INVITATION_LIFETIME
        with constraint_errors(
            {"uq_invitations_pending_email": lambda: Conflict("That address was invited a moment ago.")}
        ):
            db.session.add(invitation)
        action = "organisation.member_invited"
    else:
        invitation.role = role
        invitation.invited_by_id = actor.id
        invitation.expires_at = utcnow() + INVITATION_LIFETIME
        action = "organisation.invitation_renewed"
    record(action, invitation, organisation=organisation, email=email, role=str(role), actor=actor)
    emails.send_invitation(invitation, actor)
    return invitation


def resend_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    """Email an unanswered invitation again (even an expired one); it works for another 14 days from now."""
    if invitation.status != InvitationStatus.PENDING:
        raise InvalidLink(f"This invitation has already been {invitation.status.value}.")
    return invite(invitation.organisation, invitation.email, invitation.role, actor=actor)


class AccountExists(Conflict):
    def __init__(self) -> None:
        super().__init__("An account already uses this email address: sign in to accept the invitation.")


def join_by_registering(invitation: Invitation, name: str, password: str) -> User:
    """Create an account for the invited address and accept at once: following the emailed link proved the address."""
    require_open(invitation)
    if accounts_queries.find_user_by_email(invitation.email) is not None:
        raise AccountExists()
    user = accounts.register(name, invitation.email, password, verified=True)
    if user is None:  # registered by another request a moment ago
        raise AccountExists()
    accept_invitation(invitation, actor=user)
    return user


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, whatever its status (the page explains a used one)."""
    payload = read_token("invitation", token, None, expired_message="This invitation has expired.")
    invitation = db.session.get(Invitation, payload.get("i"))
    if invitation is None or invitation.email != payload.get("e"):
        raise InvalidLink("This invitation is no longer valid. Ask the organisation's admin to invite you again.")
    return invitation


def _lock_invitation(invitation: Invitation) -> None:
    """Accepting and declining at once must not both succeed: take the row, then look again."""
    db.session.execute(sa.select(Invitation.id).where(Invitation.id == invitation.id).with_for_update())
    db.session.refresh(invitation)


def require_open(invitation: Invitation) -> None:
    """Refuse (InvalidLink) an invitation that was already answered, revoked or has expired."""
    if invitation.status != InvitationStatus.PENDING:
        raise InvalidLink(f"This invitation has already been {invitation.status.value}.")
    if invitation.expires_at < utcnow():
        raise InvalidLink("This invitation has expired. Ask the organisation's admin to invite you again.")


def accept_invitation(invitation: Invitation, *, actor: User) -> Membership:
    """Join the organisation. Only the person the invitation was addressed to may accept it."""
    _lock_invitation(invitation)
    require_open(invitation)
    if actor.email != invitation.email:
        raise PermissionDenied(
            "This invitation was sent to a different email address. Sign in with that address to accept it, "
            "or ask the admin to invite the address you use."
        )
    organisation = invitation.organisation
    membership = Membership(organisation_id=organisation.id, user_id=actor.id, role=invitation.role)
    with constraint_errors({"uq_memberships_organisation_id_user_id": lambda: AlreadyMember(organisation)}):
        db.session.add(membership)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = utcnow()
    invitation.responded_by_id = actor.id
    record(
        "organisation.invitation_accepted",
        invitation,
        organisation=organisation,
        role=str(invitation.role),
        actor=actor,
    )
    emails.send_invitation_answered(invitation, admins_of(organisation), accepted=True)
    return membership


def decline_invitation(invitation: Invitation, *, actor: User | None) -> None:
    """Decline, with or without an account; no reason is asked and nothing else follows from it."""
    _lock_invitation(invitation)
    require_open(invitation)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = utcnow()
    invitation.responded_by_id = actor.id if actor is not None else None
    record("organisation.invitation_declined", invitation, organisation=invitation.organisation, actor=actor)
    emails.send_invitation_answered(invitation, admins_of(invitation.organisation), accepted=False)


def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    """Withdraw an unanswered invitation (admins only); its link stops working."""
    require(actor, invitation.organisation, Permission.MANAGE_MEMBERS)
    _lock_invitation(invitation)
    require_open(invitation)
    invitation.status = InvitationStatus.REVOKED
    invitation.responded_at = utcnow()
    invitation.responded_by_id = actor.id
    record(
        "organisation.invitation_revoked",
        invitation,
        organisation=invitation.organisation,
        email=invitation.email,
        actor=actor,
    )


def change_role(membership: Membership, role: Role, *, actor: User) -> None:
    """Change a member's role (admins only); the last admin cannot be made anything else."""
    organisation = membership.organisation
    require(actor, organisation, Permission.MANAGE_MEMBERS)
    if membership.role == role:
        return
    _lock(organisation)
    if membership.role == Role.ADMIN and queries.admin_count(organisation) <= 1:
        raise LastAdmin(organisation)
    set_role(membership, role, actor=actor)


def set_role(membership: Membership, role: Role, *, actor: User) -> None:
    """Give the member `role`, log the change and tell them by email. It checks nothing: its callers do first
    (change_role: the organisation's admins; privacy's delete_account_for: a platform admin)."""
    old = membership.role
    membership.role = role
    record(
        "organisation.member_role_changed",
        membership,
        organisation=membership.organisation,
        user_id=membership.user_id,
        old=str(old),
        new=str(role),
        actor=actor,
    )
    emails.send_role_changed(membership.user, membership.organisation, role)


def remove_member(membership: Membership, *, actor: User) -> None:
    """An admin removes someone, or a person leaves (actor is the member); the last admin cannot go."""
    organisation = membership.organisation
    leaving = membership.user_id == actor.id
    if not leaving:
        require(actor, organisation, Permission.MANAGE_MEMBERS)
    _lock(organisation)
    if membership.role == Role.ADMIN and queries.admin_count(organisation) <= 1:
        raise LastAdmin(organisation)
    user = membership.user
    db.session.delete(membership)
    if leaving:
        record("organisation.member_left", organisation, organisation=organisation, actor=actor)
    else:
        record(
            "organisation.member_removed",
            organisation,
            organisation=organisation,
            user_id=user.id,
            email=user.email,
            actor=actor,
        )
        emails.send_removed(user, organisation)


def verify(organisation: Organisation, *, actor: User) -> None:
    """Mark an organisation as checked by a platform admin, so its signatures count as verified."""
    require_platform_admin(actor)
    _lock(organisation)
    if organisation.is_verified:
        raise DomainError(f"{organisation.name} is already verified.")
    organisation.verified_at = utcnow()
    organisation.verified_by_id = actor.id
    record("organisation.verified", organisation, organisation=organisation, actor=actor)
    organisation_changed.send(organisation)
    emails.send_verified(admins_of(organisation), organisation)


def withdraw_verification(organisation: Organisation, reason: str, *, actor: User) -> None:
    """Take away an organisation's verified mark (platform admins), with the reason kept in the activity log."""
    require_platform_admin(actor)
    _lock(organisation)
    if not organisation.is_verified:
        raise DomainError(f"{organisation.name} is not verified.")
    organisation.verified_at = None
    organisation.verified_by_id = None
    record("organisation.verification_withdrawn", organisation, organisation=organisation, reason=reason, actor=actor)
    organisation_changed.send(organisation)
