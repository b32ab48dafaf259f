"""Personal data: a person asks for a copy of their data, or deletes their account (or a platform admin does)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.guard import Source, check_password
from campaigns.accounts.models import User
from campaigns.accounts.services import InvalidCredentials
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, InvalidLink, NotFound
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, Role
from campaigns.organisations.permissions import require_platform_admin
from campaigns.organisations.services import set_role
from campaigns.privacy import exports, queries
from campaigns.privacy.erasure import erase
from campaigns.privacy.models import DataExport, new_nonce
from campaigns.tokens import read_token


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
            set_role(membership, Role.ADMIN, actor=actor)
        handovers.append(Handover(organisation, membership.user if membership else None))
    return handovers


def request_data_export(*, actor: User) -> DataExport:
    """Queue a copy of everything held about the signed-in person, for the worker to build and email a link to."""
    waiting = next((e for e in queries.exports_of(actor) if e.waiting), None)
    if waiting is not None:
        return waiting  # asking twice makes one download
    export = DataExport(user_id=actor.id, email=actor.email)
    db.session.add(export)
    record("account.data_export_requested", actor, actor=actor)
    db.session.flush()
    return export


def request_data_export_by_email(email: str) -> None:
    """Queue a copy of everything held about an address, whoever asks: only its inbox gets the link.

    The same answer whether or not anything is held about it, and no look-up in the request: no enumeration.
    """
    db.session.add(DataExport(email=normalise_email(email)))
    db.session.flush()


def export_for_link(token: str) -> DataExport:
    """The ready download an emailed link names, if the link is genuine, unused and in time (InvalidLink if not)."""
    payload = read_token(
        "data-export",
        token,
        exports.lifetime(),
        expired_message="This link has expired and the file has been deleted. You can ask for a new copy.",
    )
    export_id = payload.get("x")
    export = queries.export_by_id(export_id) if isinstance(export_id, int) else None
    if export is None or export.nonce != payload.get("n"):
        raise InvalidLink("This link has already been used: each link works once. You can ask for a new copy.")
    _require_ready(export)
    return export


def take_download(token: str) -> Path:
    """The file an emailed link names, once: the link stops working as it is used."""
    export = export_for_link(token)
    path = _file_of(export)
    export.nonce = new_nonce()
    export.downloaded_at = utcnow()
    db.session.flush()
    return path


def download_for(export: DataExport, *, actor: User) -> Path:
    """The signed-in person's own ready download (as often as they like until it expires)."""
    if export.user_id != actor.id:
        raise NotFound("There is no such download.")
    _require_ready(export)
    path = _file_of(export)
    export.downloaded_at = utcnow()
    db.session.flush()
    return path


def _file_of(export: DataExport) -> Path:
    path = exports.folder() / str(export.stored_name)
    if not path.is_file():
        raise NotFound("The file has been deleted. You can ask for a new copy.")
    return path


def _require_ready(export: DataExport) -> None:
    if not export.ready or export.expires_at is None or export.expires_at < utcnow():
        raise InvalidLink("This download has expired and the file has been deleted. You can ask for a new copy.")
