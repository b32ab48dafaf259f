"""The directory of targets (government departments, Parliament, parties) and a statement's own: adding,
editing and retiring them. Each function takes the acting user, checks the rules, writes the audit log and
flushes; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.permissions import require_platform_admin
from campaigns.slugs import free_slug
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, can
from campaigns.submissions.models import Target, TargetKind


@dataclass(frozen=True)
class TargetDetails:
    kind: TargetKind
    name: str
    short_name: str = ""
    website: str = ""
    contact_email: str = ""
    postal_address: str = ""
    notes: str = ""


def _apply(target: Target, details: TargetDetails) -> None:
    for name in ("kind", "name", "short_name", "website", "contact_email", "postal_address", "notes"):
        setattr(target, name, getattr(details, name))


def create_target(details: TargetDetails, *, actor: User | None, statement: Statement | None = None) -> Target:
    """Platform admins add to the directory; a statement's editors add a target of kind "other" to it alone.

    `actor` None is the seeding command.
    """
    if statement is not None:
        if actor is None or not can(actor, statement, Action.EDIT):
            raise PermissionDenied("Only the statement's editors can add a target to it.")
        if details.kind != TargetKind.OTHER:
            raise DomainError("A statement's own targets are of the kind “other body”; ask an admin for the rest.")
    elif actor is not None:
        require_platform_admin(actor)
    target = Target(
        slug=free_slug(Target.slug, details.name, fallback="target"), statement_id=statement.id if statement else None
    )
    _apply(target, details)
    with constraint_errors({"uq_submission_targets_slug": lambda: Conflict("That target was added a moment ago.")}):
        db.session.add(target)
    record("target.added", target, name=target.name, statement=statement.id if statement else None, actor=actor)
    return target


def update_target(target: Target, details: TargetDetails, *, actor: User) -> None:
    require_platform_admin(actor)
    _apply(target, details)
    record("target.updated", target, name=target.name, actor=actor)
    db.session.flush()


def retire_target(target: Target, *, actor: User, retire: bool = True) -> None:
    """A retired target keeps its submissions and page but is no longer offered for new ones."""
    require_platform_admin(actor)
    target.retired_at = utcnow() if retire else None
    record("target.retired" if retire else "target.restored", target, name=target.name, actor=actor)
    db.session.flush()
