"""Keeping a statement's signature counts exact as signatures change, without counting the table.

Every change that makes a signature count or stop counting goes through `count` or `uncount`, in the
same transaction as the change itself and with the signature's row locked. The increments are single
UPDATE statements, which PostgreSQL applies under a row lock and SQLite under its write lock, so
concurrent signing never loses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures.models import Signature, SignatureCount, SignatureDay

LONDON = ZoneInfo("Europe/London")


def _insert(table: type[db.Model]) -> sa.Insert:  # type: ignore[name-defined]
    dialect = db.session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def ensure_counters(statement_id: int) -> None:
    """Create the statement's counters if they are missing (safe to call at once from many requests)."""
    rows = [
        {"statement_id": statement_id, "kind": kind, "verified": verified, "count": 0}
        for kind in OrganisationKind
        for verified in (False, True)
    ]
    db.session.execute(_insert(SignatureCount).values(rows).on_conflict_do_nothing())


def _day(signature: Signature) -> date:
    return (signature.confirmed_at or utcnow()).astimezone(LONDON).date()


def _add(signature: Signature, kind: OrganisationKind, verified: bool, delta: int) -> None:
    ensure_counters(signature.statement_id)
    db.session.execute(
        sa.update(SignatureCount)
        .where(
            SignatureCount.statement_id == signature.statement_id,
            SignatureCount.kind == kind,
            SignatureCount.verified == verified,
        )
        .values(count=SignatureCount.count + delta)
    )
    day = _insert(SignatureDay).values(statement_id=signature.statement_id, day=_day(signature), count=delta)
    db.session.execute(
        day.on_conflict_do_update(index_elements=["statement_id", "day"], set_={"count": SignatureDay.count + delta})
    )


def count(signature: Signature) -> None:
    """Start counting `signature` (it has just been confirmed, or confirmed the newer text)."""
    if signature.counted_kind is None:
        organisation = signature.organisation
        _add(signature, organisation.kind, organisation.is_verified, +1)
        signature.counted_kind = organisation.kind
        signature.counted_verified = organisation.is_verified


def uncount(signature: Signature) -> None:
    """Stop counting `signature` (withdrawn, hidden, or it signed a text that has lapsed)."""
    if signature.counted_kind is not None:
        _add(signature, signature.counted_kind, signature.counted_verified, -1)
        signature.counted_kind = None
        signature.counted_verified = False


def recount(signature: Signature) -> None:
    """Move a counted signature to its organisation's current kind and verification."""
    organisation = signature.organisation
    if signature.counted_kind is not None and (signature.counted_kind, signature.counted_verified) != (
        organisation.kind,
        organisation.is_verified,
    ):
        uncount(signature)
        count(signature)


@dataclass(frozen=True)
class Totals:
    """A statement's counted signatures by kind, read from the counters."""

    by_kind: dict[OrganisationKind, int]
    unverified: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def totals(statement_id: int, *, verified_only: bool = False) -> Totals:
    by_kind = dict.fromkeys(OrganisationKind, 0)
    unverified = 0
    for row in db.session.execute(
        sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count).where(
            SignatureCount.statement_id == statement_id
        )
    ):
        if not row.verified:
            unverified += row.count
            if verified_only:
                continue
        by_kind[row.kind] += row.count
    return Totals(by_kind=by_kind, unverified=unverified)
