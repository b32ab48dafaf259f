"""Who a statement's public list shows, filtered and a page at a time, newest first.

The list shows confirmed signatures that count (not lapsed) of organisations that agreed to be named,
and only verified organisations when the owners asked for that. Pages are found by key (the confirmation
time and id of the row next to them), never by OFFSET, so a page costs the same however deep it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from campaigns.extensions import db
from campaigns.organisations.models import REGIONS, Organisation, OrganisationKind
from campaigns.signatures.models import Signature, SignatureSettings, SignatureStatus

PAGE_SIZE = 20
SEARCH_MAX = 100


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed the list to; anything we do not recognise is ignored."""

    kind: OrganisationKind | None = None
    region: str | None = None
    search: str = ""

    @classmethod
    def parse(cls, kind: str | None, region: str | None, search: str | None) -> Filters:
        return cls(
            kind=next((k for k in OrganisationKind if k.value == kind), None),
            region=region if region in REGIONS else None,
            search=" ".join((search or "").split())[:SEARCH_MAX],
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.region or self.search)

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        values = {"kind": self.kind.value if self.kind else "", "region": self.region or "", "q": self.search}
        return {name: value for name, value in values.items() if value}


def conditions(statement_id: int, settings: SignatureSettings, filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The public list's rule and the reader's filters, over signatures joined to their organisations."""
    where = [
        Signature.statement_id == statement_id,
        Signature.status == SignatureStatus.CONFIRMED,
        Signature.counted_kind.is_not(None),
        Signature.list_publicly.is_(True),
    ]
    if settings.verified_only:
        where.append(Signature.counted_verified.is_(True))
    if filters.kind is not None:
        where.append(Signature.counted_kind == filters.kind)
    if filters.region is not None:
        where.append(Signature.organisation_region == filters.region)
    if filters.search:
        where.append(Organisation.name.icontains(filters.search, autoescape=True))
    return where


NEWEST_FIRST = (Signature.confirmed_at.desc(), Signature.id.desc())


def older_than(key: Signature | sa.Row[tuple[object, ...]]) -> sa.ColumnElement[bool]:
    """Rows after `key` in newest-first order: one row-value comparison, which both databases read as a range of
    the index (an OR of two comparisons would be a filter over every newer row)."""
    return sa.tuple_(Signature.confirmed_at, Signature.id) < (key.confirmed_at, key.id)


def _newer_than(key: Signature) -> sa.ColumnElement[bool]:
    return sa.tuple_(Signature.confirmed_at, Signature.id) > (key.confirmed_at, key.id)


@dataclass(frozen=True)
class Page:
    signatures: list[Signature]
    #: The id to put in "before" for the newer page, and in "after" for the older one; None: no such page.
    newer_before: int | None
    older_after: int | None
    #: The newest signatories are on this page (or should have been: a page link past the end is empty).
    first: bool = True


def _key(statement_id: int, signature_id: int | None) -> Signature | None:
    """The row a page link starts from; None if the link does not name one (ignored: the first page)."""
    if signature_id is None:
        return None
    key = db.session.get(Signature, signature_id)
    if key is None or key.statement_id != statement_id or key.confirmed_at is None:
        return None
    return key


def page(
    statement_id: int,
    settings: SignatureSettings,
    filters: Filters,
    *,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the public list: the first, or the one older than `after`, or newer than `before`."""
    where = conditions(statement_id, settings, filters)
    query = (
        sa.select(Signature)
        .join(Signature.organisation)
        .where(*where)
        .options(contains_eager(Signature.organisation), joinedload(Signature.revision))
    )

    def any_beyond(condition: sa.ColumnElement[bool]) -> bool:
        beyond = sa.select(Signature.id).join(Signature.organisation).where(*where, condition)
        return bool(db.session.scalar(sa.select(beyond.exists())))

    after_key = _key(statement_id, after)
    before_key = None if after_key else _key(statement_id, before)
    if before_key is not None:
        # The rows just newer than the key, read oldest first and turned round.
        rows = list(
            db.session.scalars(
                query.where(_newer_than(before_key)).order_by(Signature.confirmed_at, Signature.id).limit(size + 1)
            )
        )
        if len(rows) > size:
            rows = rows[:size][::-1]
            return Page(rows, rows[0].id, rows[-1].id if any_beyond(older_than(rows[-1])) else None, first=False)
        # Back at the newest: show the first page, full.
    if after_key is not None:
        query = query.where(older_than(after_key))
    rows = list(db.session.scalars(query.order_by(*NEWEST_FIRST).limit(size + 1)))
    more_older = len(rows) > size
    rows = rows[:size]
    newer = None
    if after_key is not None and rows and any_beyond(_newer_than(rows[0])):
        newer = rows[0].id
    return Page(rows, newer, rows[-1].id if more_older else None, first=after_key is None)


def counts_by_region(statement_id: int, settings: SignatureSettings) -> dict[str, int]:
    """How many organisations the public list names in each region (regions with none left out): only what anyone
    can count from the list itself, never the organisations that asked not to be named."""
    where = conditions(statement_id, settings, Filters())
    rows = db.session.execute(
        sa.select(Signature.organisation_region, sa.func.count())
        .where(*where)
        .group_by(Signature.organisation_region)
        .order_by(Signature.organisation_region)
    )
    return {region: count for region, count in rows if region in REGIONS}
