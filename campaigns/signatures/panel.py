"""What a statement's public page shows about its signatures: the counts, the target, and how to sign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from campaigns.database import utcnow
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures.counting import Totals, totals
from campaigns.signatures.services import launched, settings_for
from campaigns.statements import queries
from campaigns.statements.models import Stage, Statement
from campaigns.wording import in_a_list

KIND_NOUNS = {
    OrganisationKind.COUNCIL: ("council", "councils"),
    OrganisationKind.VCS: ("VCS organisation", "VCS organisations"),
    OrganisationKind.PUBLIC_BODY: ("other public body", "other public bodies"),
}


def describe(totals: Totals) -> str:
    """“14 councils and 212 VCS organisations”."""
    parts = [f"{n} {KIND_NOUNS[kind][0 if n == 1 else 1]}" for kind, n in totals.by_kind.items() if n]
    if not parts:
        return "No organisations yet"
    return in_a_list(parts)


@dataclass(frozen=True)
class Panel:
    totals: Totals
    described: str
    public: bool  # the counts and list are shown (launched)
    can_sign: bool
    closes_at: datetime | None
    target: int | None
    #: When the counts were read: every page that gives a number says as of when.
    as_of: datetime

    @property
    def target_percent(self) -> int:
        return min(100, round(100 * self.totals.total / self.target)) if self.target else 0


def cache_parts(slug: str, **_: object) -> tuple[object, ...]:
    """Besides the activity log, what decides what a statement's public pages show: their ETag (campaigns.caching)."""
    statement = queries.published_by_slug(slug)
    settings = settings_for(statement)
    counted = totals(statement.id)
    closed = settings.closes_at is not None and settings.closes_at <= utcnow()
    return (
        statement.id,
        statement.stage,
        statement.agreed_revision_id,
        settings.version,
        launched(settings),
        closed,
        tuple(counted.by_kind.values()),
        counted.unverified,
    )


def panel_for(statement: Statement) -> Panel:
    settings = settings_for(statement)
    counted = totals(statement.id, verified_only=settings.verified_only)
    is_launched = launched(settings)
    closed = settings.closes_at is not None and settings.closes_at <= utcnow()
    return Panel(
        totals=counted,
        described=describe(counted),
        public=is_launched,
        can_sign=statement.stage == Stage.OPEN and is_launched and not closed,
        closes_at=settings.closes_at,
        target=settings.target,
        as_of=utcnow(),
    )
