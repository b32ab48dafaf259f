"""The owners' settings: closing date, target, verified-only list, launch, and how long a signature of an earlier
version keeps counting; saved only if nobody saved since the form was loaded. And the private sign-on link."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import SignatureSettings, new_private_key
from campaigns.signatures.opening import saved_settings
from campaigns.signatures.reconfirming import apply_earlier_version_limit
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, acting_organisation
from campaigns.templating import format_datetime


@dataclass(frozen=True)
class SettingsChange:
    """The settings form as sent: every field, changed or not."""

    closes_at: datetime | None
    target: int | None
    verified_only: bool
    launch_at: datetime | None
    earlier_version_days: int | None
    #: Months after closing that signers' contact details are kept; None: the platform's maximum.
    contact_retention_months: int | None = None


TARGET_MAX = 1_000_000


DAYS_MAX = 3650


#: What each setting is called on the page, in the audit log and in a conflict.
SETTING_LABELS = {
    "closes_at": "Closing date",
    "target": "Target",
    "verified_only": "List verified organisations only",
    "launch_at": "Launch",
    "earlier_version_days": "Days a signature of an earlier version keeps counting",
    "contact_retention_months": "Months after closing that signers’ contact details are kept",
}


def settings_change(settings: SignatureSettings, **changed: object) -> SettingsChange:
    """The settings as they are, with `changed` fields replaced."""
    values = {field.name: getattr(settings, field.name) for field in fields(SettingsChange)}
    values["verified_only"] = bool(values["verified_only"])
    values.update(changed)
    return SettingsChange(**values)


class SettingsConflict(Conflict):
    """Someone saved the settings after this form was loaded: nothing is saved, and the form keeps its values."""

    def __init__(self, settings: SignatureSettings, changed: list[str]) -> None:
        super().__init__("Someone else changed these settings while you were editing them.")
        self.settings = settings
        self.changed = changed


class InvalidSetting(DomainError):
    """A setting breaks a rule; `field` names it, so the form can show the message next to it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check(new: SettingsChange, changed: dict[str, tuple[object, object]], now: datetime) -> None:
    """The rules for settings; a date already saved may have passed (the statement closed on it)."""
    if "closes_at" in changed and new.closes_at is not None and new.closes_at <= now:
        raise InvalidSetting("closes_at", "The closing date must be today or in the future")
    if "launch_at" in changed and new.launch_at is not None and new.launch_at <= now:
        raise InvalidSetting("launch_at", "The launch must be in the future. To launch now, leave the date empty")
    if new.closes_at is not None and new.launch_at is not None and new.launch_at >= new.closes_at:
        raise InvalidSetting("launch_at", "The launch must be before the closing date")
    if new.target is not None and not 1 <= new.target <= TARGET_MAX:
        raise InvalidSetting("target", f"The target must be a whole number from 1 to {TARGET_MAX:,}")
    months, maximum = new.contact_retention_months, int(current_app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"])
    if months is not None and not 1 <= months <= maximum:
        raise InvalidSetting(
            "contact_retention_months", f"The number of months must be a whole number from 1 to {maximum}"
        )
    days = new.earlier_version_days
    if days is not None and not 0 <= days <= DAYS_MAX:
        raise InvalidSetting("earlier_version_days", f"The number of days must be a whole number from 0 to {DAYS_MAX}")


def update_settings(
    statement: Statement,
    change: SettingsChange,
    *,
    actor: User,
    based_on_version: int,
    acting_for: Organisation | None = None,
) -> list[str]:
    """Save the owners' settings if nobody saved since `based_on_version`; return the fields that changed.

    A changed limit for signatures of an earlier version applies at once to those already asked to confirm
    the newer text: they stop counting, or count again, as the new limit says.
    """
    owner = acting_organisation(actor, statement, Action.EDIT, acting_for)
    settings = saved_settings(statement)
    changes = {
        name: (getattr(settings, name), value)
        for name, value in ((field.name, getattr(change, field.name)) for field in fields(SettingsChange))
        if getattr(settings, name) != value
    }
    if settings.version != based_on_version:
        raise SettingsConflict(settings, sorted(changes))
    if not changes:
        return []
    _check(change, changes, utcnow())
    try:
        with db.session.begin_nested():
            for name, (_old, new) in changes.items():
                setattr(settings, name, new)
    except StaleDataError:
        # Saved by someone else between our read and our write: the version column caught it.
        db.session.refresh(settings)
        raise SettingsConflict(settings, sorted(changes)) from None
    if "earlier_version_days" in changes:
        apply_earlier_version_limit(statement, settings.earlier_version_days)
    record(
        "signature.settings_changed",
        statement,
        organisation=owner,
        changed={name: [_audit_value(old), _audit_value(new)] for name, (old, new) in changes.items()},
        actor=actor,
    )
    return sorted(changes)


def _audit_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return format_datetime(value)
    return str(value)


def new_private_link(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> None:
    """A new key for the private sign-on link; the old link stops working at once.

    The settings form's version is left alone, so an owner editing the settings meanwhile loses nothing.
    """
    owner = acting_organisation(actor, statement, Action.EDIT, acting_for)
    saved_settings(statement)
    db.session.execute(
        sa.update(SignatureSettings)
        .where(SignatureSettings.statement_id == statement.id)
        .values(private_key=new_private_key(), updated_at=utcnow())
    )
    record("signature.private_link_renewed", statement, organisation=owner, actor=actor)
