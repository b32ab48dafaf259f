"""Keeping a statement's signature counts exact as signatures change, without counting the table.

Every change that makes a signature count or stop counting goes through `count` or `uncount`, in the
same transaction as the change itself and with the signature's row locked. The increments are single
UPDATE statements, which PostgreSQL applies under a row lock and SQLite under its write lock, so
concurrent signing never loses one. Changes to many signatures at once gather in a `Tally`, written
in one fixed order (see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaigns.caching import once_per_request
from campaigns.database import rows_changed, utcnow
from campaigns.extensions import Model, db
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures import history
from campaigns.signatures.models import Signature, SignatureCount, SignatureDay
from campaigns.timezone import LONDON


def _insert(table: type[Model]) -> postgresql.Insert | sqlite.Insert:
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


class Tally:
    """Changes to the counters, gathered and then written in one order: the counters by key, then the days.

    Every transaction takes these row locks in the same order, so transactions that count several
    signatures at once (a scheduled job, a changed setting, a re-verified organisation) never deadlock
    with each other or with people confirming at the same moment.
    """

    def __init__(self) -> None:
        self.counts: dict[tuple[int, OrganisationKind, bool], int] = {}
        self.days: dict[tuple[int, date], int] = {}

    def add(self, signature: Signature, kind: OrganisationKind, verified: bool, delta: int) -> None:
        key = (signature.statement_id, kind, verified)
        self.counts[key] = self.counts.get(key, 0) + delta
        day = (signature.statement_id, _day(signature))
        self.days[day] = self.days.get(day, 0) + delta

    def write(self) -> None:
        for (statement_id, kind, verified), delta in sorted(self.counts.items()):
            if delta:
                _add_to_counter(statement_id, kind, verified, delta)
        for (statement_id, day), delta in sorted(self.days.items()):
            if delta:
                upsert = _insert(SignatureDay).values(statement_id=statement_id, day=day, count=delta)
                db.session.execute(
                    upsert.on_conflict_do_update(
                        index_elements=["statement_id", "day"], set_={"count": SignatureDay.count + delta}
                    )
                )
        self.counts.clear()
        self.days.clear()


def _add_to_counter(statement_id: int, kind: OrganisationKind, verified: bool, delta: int) -> None:
    def update() -> int:
        result = db.session.execute(
            sa.update(SignatureCount)
            .where(
                SignatureCount.statement_id == statement_id,
                SignatureCount.kind == kind,
                SignatureCount.verified == verified,
            )
            .values(count=SignatureCount.count + delta)
        )
        return rows_changed(result)

    # The counters exist from the moment a statement opens; creating them on every change would make each
    # change wait for every other one in progress.
    if not update():
        ensure_counters(statement_id)
        update()


def count(signature: Signature, tally: Tally | None = None, *, at: datetime | None = None) -> None:
    """Start counting `signature` (it has just been confirmed, or confirmed the newer text), from `at` (now).

    With `tally`, the counters change when the tally is written; without, at once.
    """
    if signature.counted_kind is None:
        _count(signature, tally)
        history.started(signature, at or utcnow())


def _count(signature: Signature, tally: Tally | None) -> None:
    kind, verified, region = _kind_verification_and_region(signature.organisation_id)
    _change(signature, kind, verified, +1, tally)
    signature.counted_kind = kind
    signature.counted_verified = verified
    signature.organisation_region = region


def uncount(signature: Signature, tally: Tally | None = None, *, at: datetime | None = None) -> None:
    """Stop counting `signature` (withdrawn, hidden, or it signed a text that has lapsed), from `at` (now)."""
    if signature.counted_kind is not None:
        _uncount(signature, tally)
        history.stopped(signature, at or utcnow())


def _uncount(signature: Signature, tally: Tally | None) -> None:
    assert signature.counted_kind is not None
    _change(signature, signature.counted_kind, signature.counted_verified, -1, tally)
    signature.counted_kind = None
    signature.counted_verified = False


def _kind_verification_and_region(organisation_id: int) -> tuple[OrganisationKind, bool, str]:
    """The organisation's kind, verification and region as committed, held until we commit (PostgreSQL: a share
    lock).

    A platform admin verifying the organisation at this moment either finishes first, and we count it as
    verified, or waits for us, and then moves our newly counted signature with its others.
    """
    kind, verified_at, region = db.session.execute(
        sa.select(Organisation.kind, Organisation.verified_at, Organisation.region)
        .where(Organisation.id == organisation_id)
        .with_for_update(read=True)
    ).one()
    return kind, verified_at is not None, region


def recount(signature: Signature, tally: Tally | None = None) -> None:
    """Move a counted signature to its organisation's current kind, verification and region (its day and the period
    it has counted for stay)."""
    organisation = signature.organisation
    if signature.counted_kind is not None:
        signature.organisation_region = organisation.region
    if signature.counted_kind is not None and (signature.counted_kind, signature.counted_verified) != (
        organisation.kind,
        organisation.is_verified,
    ):
        own = tally or Tally()
        _uncount(signature, own)
        _count(signature, own)
        if tally is None:
            own.write()


def _change(signature: Signature, kind: OrganisationKind, verified: bool, delta: int, tally: Tally | None) -> None:
    own = tally or Tally()
    own.add(signature, kind, verified, delta)
    if tally is None:
        own.write()


@dataclass(frozen=True)
class Totals:
    """A statement's counted signatures by kind, read from the counters."""

    by_kind: dict[OrganisationKind, int]
    unverified: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def _counters(statement_id: int) -> list[tuple[OrganisationKind, bool, int]]:
    query = sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count).where(
        SignatureCount.statement_id == statement_id
    )
    return [(kind, verified, count) for kind, verified, count in db.session.execute(query)]


def totals(statement_id: int, *, verified_only: bool = False) -> Totals:
    """The statement's kept counters, read once per GET request (a public page's cache tag and the page share them)."""
    by_kind = dict.fromkeys(OrganisationKind, 0)
    unverified = 0
    for kind, verified, count in once_per_request(("counters", statement_id), lambda: _counters(statement_id)):
        if not verified:
            unverified += count
            if verified_only:
                continue
        by_kind[kind] += count
    return Totals(by_kind=by_kind, unverified=unverified)
