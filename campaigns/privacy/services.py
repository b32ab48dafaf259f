"""Personal data: a person deletes their account, or a platform admin deletes it for them."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.accounts.guard import Source, check_password
from campaigns.accounts.models import User
from campaigns.accounts.services import InvalidCredentials
from campaigns.audit.services import record
from campaigns.errors import Conflict
from campaigns.organisations import emails
from campaigns.organisations.models import Organisation, Role
from campaigns.organisations.permissions import require_platform_admin
from campaigns.privacy import queries
from campaigns.privacy.erasure import erase


class LastAdmin(Conflict):
    """The person is the only admin of some organisations: they must appoint another admin first."""

    def __init__(self, organisations: list[Organisation]) -> None:
        names = ", ".join(organisation.name for organisation in organisations)
        super().__init__(
            f"You are the only admin of {names}. Make someone else an admin first, so that the organisation can "
            "still manage its members, or ask the platform administrators to delete your account for you."
        )
        self.organisations = organisations


def delete_account(*, actor: User, password: str, where: Source, suppress: bool) -> list[Organisation]:
    """Erase the signed-in person's account once they have entered their password again (README: erasure).

    Refuses (InvalidCredentials, guard.TooManyAttempts) a wrong password and (LastAdmin) the only admin of an
    organisation, writing nothing. `suppress` puts their address on the suppression list for every update.
    Returns the organisations whose membership ended.
    """
    if not check_password(actor, actor.email, password, where):
        raise InvalidCredentials()
    alone = queries.organisations_only_they_administer(actor, lock=True)
    if alone:
        raise LastAdmin(alone)
    organisations = erase(actor, actor=actor, suppress=suppress)
    record("account.deleted", actor, actor=actor)
    return organisations


@dataclass(frozen=True)
class Handover:
    """An organisation whose only admin's account a platform admin deleted, and who is its admin now (if anyone)."""

    organisation: Organisation
    new_admin: User | None


def delete_account_for(user: User, *, actor: User, suppress: bool) -> list[Handover]:
    """A platform admin erases someone's account at their request, even an organisation's only admin.

    Where they were the only admin, the longest-standing remaining member becomes admin (and is told by email);
    an organisation with nobody left has no admin. Returns those organisations.
    """
    require_platform_admin(actor)
    if user.deleted_at is not None:
        raise Conflict("That account has already been deleted.")
    alone = queries.organisations_only_they_administer(user, lock=True)
    erase(user, actor=actor, suppress=suppress)
    record("account.deleted_by_platform_admin", user, actor=actor)
    handovers = []
    for organisation in alone:
        membership = queries.longest_standing_member(organisation)
        if membership is not None:
            old = membership.role
            membership.role = Role.ADMIN
            record(
                "organisation.member_role_changed",
                membership,
                organisation=organisation,
                user_id=membership.user_id,
                old=str(old),
                new=str(Role.ADMIN),
                actor=actor,
            )
            emails.send_role_changed(membership.user, organisation, Role.ADMIN)
        handovers.append(Handover(organisation, membership.user if membership else None))
    return handovers
