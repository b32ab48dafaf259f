"""Keeping personal data no longer than needed: the job `flask --app wsgi apply-retention` runs daily.

- Signers' contact details (name, role, email address, comment and any reason they gave for withdrawing) on a closed
  statement are erased once the statement has been closed for its retention period: the number of months its owners
  chose, at most the platform's maximum, CAMPAIGNS_CONTACT_RETENTION_MONTHS (24 by default). Each organisation's
  signature stays, with its status, dates and the record of when it counted, so every count stays exact; the frozen
  lists sent to government are copies of their own (organisations, and a signer's name only where it was public)
  and are not touched.
- Signatures never confirmed, and invitations never accepted, go CAMPAIGNS_UNCONFIRMED_RETENTION_DAYS (30 by default)
  after their emailed link expired: the signature's row is deleted (one that once counted keeps its row, with the
  contact details erased, so that who had signed on a given day stays true), the invitation's row too.

Every run says what it erased and writes it to the activity log. Running it twice erases nothing twice.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from campaigns.audit.services import record
from campaigns.database import rows_changed, utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Invitation, InvitationStatus
from campaigns.signatures.emails import LINK_DAYS
from campaigns.signatures.models import (
    Signature,
    SignatureContact,
    SignaturePeriod,
    SignatureSettings,
    SignatureStatus,
)
from campaigns.statements.models import Stage, Statement


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months; the 31st becomes the last day of a shorter month."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def platform_maximum() -> int:
    """The most months after closing that any statement keeps its signers' contact details."""
    return int(current_app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"])


def unconfirmed_days() -> int:
    """Days after its link expired that an unconfirmed signature or unaccepted invitation is kept."""
    return int(current_app.config["CAMPAIGNS_UNCONFIRMED_RETENTION_DAYS"])


def months_kept(settings: SignatureSettings | None) -> int:
    """The months a statement keeps contact details after closing: its owners' choice, capped by the maximum."""
    chosen = settings.contact_retention_months if settings is not None else None
    maximum = platform_maximum()
    return maximum if chosen is None else min(chosen, maximum)


def erase_after(statement: Statement, settings: SignatureSettings | None) -> datetime | None:
    """When the statement's signers' contact details are due to be erased; None while it is not closed."""
    if statement.stage != Stage.CLOSED or statement.closed_at is None:
        return None
    return add_months(statement.closed_at, months_kept(settings))


@dataclass(frozen=True)
class Erased:
    """The contact details of `signatures` signers of one closed statement, erased."""

    slug: str
    title: str
    closed_at: datetime
    months: int
    signatures: int


@dataclass
class RetentionReport:
    """What one run erased and removed."""

    statements: list[Erased] = field(default_factory=list)
    unconfirmed_removed: int = 0
    unconfirmed_erased: int = 0
    invitations_removed: int = 0

    def lines(self) -> list[str]:
        """The run's report, a line for each thing done, as the command prints it."""
        lines = [
            f"Erased the names, roles, email addresses and comments of {erased.signatures} "
            f"signer{'' if erased.signatures == 1 else 's'} of ‘{erased.title}’ ({erased.slug}), closed on "
            f"{erased.closed_at:%Y-%m-%d}, kept for {erased.months} months; the organisations' signatures stay."
            for erased in self.statements
        ]
        days = unconfirmed_days()
        if self.unconfirmed_removed:
            lines.append(
                f"Removed {self.unconfirmed_removed} signature{'' if self.unconfirmed_removed == 1 else 's'} never "
                f"confirmed, {days} days after the link expired."
            )
        if self.unconfirmed_erased:
            lines.append(
                f"Erased the contact details of {self.unconfirmed_erased} signature"
                f"{'' if self.unconfirmed_erased == 1 else 's'} never confirmed again after counting once "
                "(kept for the record of when they counted)."
            )
        if self.invitations_removed:
            lines.append(
                f"Removed {self.invitations_removed} invitation{'' if self.invitations_removed == 1 else 's'} "
                f"never accepted, {days} days after the link expired."
            )
        return lines or ["Nothing to erase."]


#: What erasing leaves in a signature's contact columns.
ERASED = {
    "signer_name": "",
    "signer_role": "",
    "signer_email": "",
    "comment": "",
    "withdrawal_reason": "",
    "signer_id": None,
    "wants_updates": False,
}


def _erase(condition: sa.ColumnElement[bool], now: datetime) -> int:
    """Erase the contact details of the signatures matching `condition` and forget whom they let contact them."""
    ids = sa.select(Signature.id).where(condition, Signature.contact_erased_at.is_(None))
    db.session.execute(sa.delete(SignatureContact).where(SignatureContact.signature_id.in_(ids)))
    result = db.session.execute(
        sa.update(Signature)
        .where(condition, Signature.contact_erased_at.is_(None))
        .values(**ERASED, contact_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def _closed_statements_due(now: datetime) -> list[tuple[Statement, SignatureSettings | None]]:
    """Closed statements whose longest possible retention has passed, with their settings."""
    earliest = add_months(now, -1)  # every statement keeps them at least a month
    return [
        (statement, settings)
        for statement, settings in db.session.execute(
            sa.select(Statement, SignatureSettings)
            .outerjoin(SignatureSettings, SignatureSettings.statement_id == Statement.id)
            .where(Statement.stage == Stage.CLOSED, Statement.closed_at <= earliest)
            .order_by(Statement.closed_at, Statement.id)
        )
    ]


def apply_retention() -> RetentionReport:
    """Erase what has been kept long enough (see the module's docstring), as of now."""
    now = utcnow()
    report = RetentionReport()
    for statement, settings in _closed_statements_due(now):
        due = erase_after(statement, settings)
        if due is None or due > now:
            continue
        erased = _erase(Signature.statement_id == statement.id, now)
        if erased:
            assert statement.closed_at is not None
            months = months_kept(settings)
            title = statement.agreed_revision.title if statement.agreed_revision else statement.slug
            report.statements.append(Erased(statement.slug, title, statement.closed_at, months, erased))
            record(
                "privacy.contact_details_erased",
                statement,
                signatures=erased,
                months=months,
                closed_at=statement.closed_at.isoformat(),
                actor=None,
            )
    _purge_unconfirmed(report, now)
    _purge_invitations(report, now)
    db.session.flush()
    return report


def _purge_unconfirmed(report: RetentionReport, now: datetime) -> None:
    """Signatures never confirmed whose link expired `unconfirmed_days` ago: deleted, or erased if they once counted."""
    cutoff = now - timedelta(days=LINK_DAYS + unconfirmed_days())
    unconfirmed = sa.and_(
        Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.EXPIRED]), Signature.created_at < cutoff
    )
    counted_once = sa.exists().where(SignaturePeriod.signature_id == Signature.id)
    report.unconfirmed_erased = _erase(sa.and_(unconfirmed, counted_once), now)
    gone = sa.select(Signature.id).where(unconfirmed, ~counted_once)
    db.session.execute(sa.delete(SignatureContact).where(SignatureContact.signature_id.in_(gone)))
    report.unconfirmed_removed = rows_changed(
        db.session.execute(
            sa.delete(Signature).where(unconfirmed, ~counted_once).execution_options(synchronize_session=False)
        )
    )
    if report.unconfirmed_removed or report.unconfirmed_erased:
        record(
            "privacy.unconfirmed_signatures_purged",
            removed=report.unconfirmed_removed,
            erased=report.unconfirmed_erased,
            actor=None,
        )


def _purge_invitations(report: RetentionReport, now: datetime) -> None:
    """Invitations never accepted (waiting, declined or revoked) whose link expired `unconfirmed_days` ago."""
    cutoff = now - timedelta(days=unconfirmed_days())
    report.invitations_removed = rows_changed(
        db.session.execute(
            sa.delete(Invitation)
            .where(Invitation.status != InvitationStatus.ACCEPTED, Invitation.expires_at < cutoff)
            .execution_options(synchronize_session=False)
        )
    )
    if report.invitations_removed:
        record("privacy.invitations_purged", removed=report.invitations_removed, actor=None)
