"""Making, using and revoking organisations' API tokens. Each use is in the organisation's activity log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.api.models import ApiToken, Scope
from campaigns.api.problems import Unauthorised
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission, can, require
from campaigns.tokens import is_url_safe

#: Every token starts so, to be recognised (by people, and by secret scanners) as one of ours.
TOKEN_START = "cg_"


class NoScope(DomainError):
    """A token must be allowed to read something."""


def token_hash(secret: str) -> str:
    """What is kept of a token: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create_token(
    organisation: Organisation, *, actor: User, name: str, scopes: Collection[Scope]
) -> tuple[ApiToken, str]:
    """Make a token for the organisation (its admins only); the secret is returned this once and never kept."""
    require(actor, organisation, Permission.MANAGE_MEMBERS)
    if not scopes:
        raise NoScope("Choose what the token may read.")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation_id=organisation.id,
        name=name.strip(),
        prefix=secret[:10],
        token_hash=token_hash(secret),
        may_read_contacts=Scope.CONTACTS in scopes,
        may_read_submissions=Scope.SUBMISSIONS in scopes,
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    record("api_token.created", token, organisation=organisation, name=token.name, scopes=list(scopes), actor=actor)
    return token, secret


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Stop a token working, at once (its admins only); it stays listed, as revoked."""
    require(actor, token.organisation, Permission.MANAGE_MEMBERS)
    if token.revoked_at is not None:
        raise Conflict("This token has already been revoked.")
    token.revoked_at = utcnow()
    record("api_token.revoked", token, organisation=token.organisation, name=token.name, actor=actor)
    db.session.flush()


def maker_is_admin(token: ApiToken) -> bool:
    """A token works only while whoever made it is an admin of its organisation: removed, made a member, or with
    their account deleted, they still know its secret."""
    return token.created_by is not None and can(token.created_by, token.organisation, Permission.MANAGE_MEMBERS)


def use_token(secret: str | None, scope: Scope, *, reading: str) -> ApiToken:
    """The token `secret` names, if it may read `scope` now: its use is recorded (when, and what it read).

    No token, an unknown or revoked one, or one whose maker is no longer an admin: Unauthorised (401). A token
    without the scope: PermissionDenied (403).
    Either refusal writes nothing.
    """
    if not secret or not is_url_safe(secret) or not secret.startswith(TOKEN_START):
        raise Unauthorised("This needs a valid API token: send it as `Authorization: Bearer <token>`.")
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None:
        raise Unauthorised("This API token is not valid: it may have been revoked.")
    if not maker_is_admin(token):
        raise Unauthorised(
            "This API token no longer works: whoever made it is no longer an admin of the organisation, and they "
            "saw its secret. An admin can make a new one."
        )
    if not token.allows(scope):
        raise PermissionDenied(f"This API token may not read {scope.value}.")
    token.last_used_at = utcnow()
    record("api_token.used", token, organisation=token.organisation, name=token.name, reading=reading, actor=None)
    db.session.flush()
    return token
