"""The statement owners' list of signatures: every status, filtered and searched, newest first, a page at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature, SignatureStatus

PAGE_SIZE = 50

_CONFIRMED = Signature.status == SignatureStatus.CONFIRMED

#: Each status an owner can filter by: (label, tag colour, condition). Every signature has exactly one.
STATUSES: dict[str, tuple[str, str, sa.ColumnElement[bool]]] = {
    "pending": ("Awaiting confirmation", "govuk-tag--yellow", Signature.status == SignatureStatus.PENDING),
    "confirmed": ("Confirmed", "govuk-tag--green", sa.and_(_CONFIRMED, Signature.reconfirm_revision_id.is_(None))),
    "earlier": (
        "Signed an earlier version",
        "govuk-tag--blue",
        sa.and_(_CONFIRMED, Signature.reconfirm_revision_id.is_not(None), Signature.lapsed_at.is_(None)),
    ),
    "lapsed": (
        "Stopped counting",
        "govuk-tag--orange",
        sa.and_(_CONFIRMED, Signature.reconfirm_revision_id.is_not(None), Signature.lapsed_at.is_not(None)),
    ),
    "withdrawn": ("Withdrawn", "govuk-tag--grey", Signature.status == SignatureStatus.WITHDRAWN),
    "hidden": ("Hidden", "govuk-tag--red", Signature.status == SignatureStatus.HIDDEN),
    "expired": ("Expired", "govuk-tag--grey", Signature.status == SignatureStatus.EXPIRED),
}


def status_of(signature: Signature) -> str:
    """The one status key in STATUSES that describes `signature`."""
    if signature.status != SignatureStatus.CONFIRMED:
        return signature.status.value
    if signature.reconfirm_revision_id is None:
        return "confirmed"
    return "lapsed" if signature.lapsed_at is not None else "earlier"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_CURSOR = re.compile(r"^(\d{1,18})-(\d{1,10})$")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after this signing time and id (newest first)."""

    created_at: datetime
    id: int

    def __str__(self) -> str:
        return f"{(self.created_at - _EPOCH) // _MICROSECOND}-{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """A cursor from a URL, or None (the first page) when it is missing or was not made by us."""
        found = _CURSOR.match(text or "")
        if not found:
            return None
        try:
            created_at = _EPOCH + int(found[1]) * _MICROSECOND
        except OverflowError:
            return None
        return cls(created_at, int(found[2]))


@dataclass(frozen=True)
class Page:
    signatures: list[Signature]
    next_cursor: Cursor | None


def page(statement_id: int, *, status: str | None, search: str, after: Cursor | None) -> Page:
    """Up to PAGE_SIZE signatures on the statement, newest first, after `after`."""
    query = (
        sa.select(Signature)
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .where(Signature.statement_id == statement_id)
        .options(
            joinedload(Signature.organisation),
            joinedload(Signature.revision),
            joinedload(Signature.reconfirm_revision),
            joinedload(Signature.hidden_by),
        )
    )
    if status in STATUSES:
        query = query.where(STATUSES[status][2])
    if search:
        query = query.where(sa.func.lower(Organisation.name).contains(search.lower(), autoescape=True))
    if after is not None:
        # One row-value comparison: a range of the index, whatever the page's depth.
        query = query.where(sa.tuple_(Signature.created_at, Signature.id) < (after.created_at, after.id))
    found = list(
        db.session.scalars(query.order_by(Signature.created_at.desc(), Signature.id.desc()).limit(PAGE_SIZE + 1))
    )
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return Page(found, Cursor(found[-1].created_at, found[-1].id) if more else None)
