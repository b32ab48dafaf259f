"""When each signature counted, so that a list "as of" a past date is the list as it stood then.

`counting.count` and `counting.uncount` are the only ways a signature starts or stops counting; they
open and close a period here in the same transaction. A change of the organisation's kind or
verification moves the counters but is not a new period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.signatures.models import Signature, SignaturePeriod
from campaigns.timezone import LONDON


def started(signature: Signature, at: datetime) -> None:
    db.session.add(SignaturePeriod(signature_id=signature.id, statement_id=signature.statement_id, counted_from=at))


def stopped(signature: Signature, at: datetime) -> None:
    db.session.execute(
        sa.update(SignaturePeriod)
        .where(SignaturePeriod.signature_id == signature.id, SignaturePeriod.counted_until.is_(None))
        .values(counted_until=at)
    )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of `day` in UK time and the first moment of the next, both aware."""
    start = datetime.combine(day, time(), LONDON)
    return start, datetime.combine(day + timedelta(days=1), time(), LONDON)


def counting_on(statement_id: int, day: date) -> sa.Select:
    """The ids of the signatures that counted on `day`: confirmed on or before it and not withdrawn (or hidden,
    or lapsed) before it. One that stopped counting on the day itself or later was on the list that day."""
    start, end = day_bounds(day)
    return (
        sa.select(SignaturePeriod.signature_id)
        .where(
            SignaturePeriod.statement_id == statement_id,
            SignaturePeriod.counted_from < end,
            sa.or_(SignaturePeriod.counted_until.is_(None), SignaturePeriod.counted_until >= start),
        )
        .distinct()
    )
