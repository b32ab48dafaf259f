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


def end_of_day(day: date) -> datetime:
    """The first moment of the day after `day`, UK time, aware: `day` has ended just before it."""
    return datetime.combine(day + timedelta(days=1), time(), LONDON)


def counting_just_before(statement_id: int, moment: datetime) -> sa.Select:
    """The ids of the signatures that counted just before `moment`: confirmed before it and not withdrawn (or
    hidden, or lapsed) until it or later. One moment, so the list is one that really stood at once: an
    organisation that withdrew and another that signed later the same day are never both on it."""
    return (
        sa.select(SignaturePeriod.signature_id)
        .where(
            SignaturePeriod.statement_id == statement_id,
            SignaturePeriod.counted_from < moment,
            sa.or_(SignaturePeriod.counted_until.is_(None), SignaturePeriod.counted_until >= moment),
        )
        .distinct()
    )
