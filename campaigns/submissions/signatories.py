"""A submission's signatory list: frozen as it stood when sent, or, while only planned, the list as it stands
now (a draft, never saved).

A submission has a date sent but no time, so its list is the list as it stood at the end of that day (see
`signatures.history`): confirmed by then and not withdrawn, hidden or lapsed by then. Recorded on the day it
was sent, that is the list at the moment of recording. An organisation that withdrew earlier on the day is
never named as supporting what was sent. Signing, withdrawing or being merged later never changes a frozen list.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.history import counting_just_before, end_of_day
from campaigns.signatures.models import Signature
from campaigns.submissions.blueprint import format_day
from campaigns.submissions.models import Submission, SubmissionSignatory
from campaigns.templating import format_datetime


@dataclass(frozen=True)
class SignatoryList:
    """The named signatories in order, the counts by kind (including those not named), and when it is as of."""

    rows: list[SubmissionSignatory]
    counts: dict[str, int]
    #: The date sent, for a frozen list; the moment it was read, for a draft.
    as_of: date | datetime
    draft: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def unlisted(self) -> int:
        return self.total - len(self.rows)

    @property
    def as_of_text(self) -> str:
        """“2 April 2026” for a frozen list; “7 December 2026 at 3:34am” for a draft."""
        if isinstance(self.as_of, datetime):
            return format_datetime(self.as_of)
        return format_day(self.as_of)


def _signatures(statement_id: int, before: datetime | None) -> list[Signature]:
    """The signatures that counted just before `before`, or that count now (None), by organisation name."""
    query = sa.select(Signature).join(Signature.organisation).options(joinedload(Signature.organisation))
    if before is None:
        query = query.where(Signature.statement_id == statement_id, Signature.counted_kind.is_not(None))
    else:
        query = query.where(Signature.id.in_(counting_just_before(statement_id, before)))
    return list(db.session.scalars(query.order_by(sa.func.lower(Organisation.name), Organisation.id)))


def _rows(signatures: list[Signature]) -> tuple[list[SubmissionSignatory], dict[str, int]]:
    counts: Counter[str] = Counter()
    rows: list[SubmissionSignatory] = []
    for signature in signatures:
        organisation = signature.organisation
        counts[organisation.kind.value] += 1
        if not signature.list_publicly:
            continue
        rows.append(
            SubmissionSignatory(
                position=len(rows) + 1,
                organisation_id=organisation.id,
                name=organisation.name,
                identifier=organisation.identifier,
                kind=organisation.kind.value,
                kind_label=organisation.subtype_label or organisation.kind.label,
                region=organisation.region_label,
                signer_name=signature.signer_name,
                signer_role=signature.signer_role,
                verified=organisation.is_verified,
            )
        )
    return rows, dict(counts)


def freeze(submission: Submission) -> None:
    """Copy the list as it stood when sent into the submission, with its digest; it never changes."""
    assert submission.sent_on is not None
    rows, counts = _rows(_signatures(submission.statement_id, end_of_day(submission.sent_on)))
    for row in rows:
        row.submission_id = submission.id
        db.session.add(row)
    submission.signatory_counts = counts
    submission.digest = digest_of(canonical_text(submission, rows))


#: The first line of the canonical form: which form it is, so that it can change without ambiguity.
CANONICAL_VERSION = "Common Ground signatory list, version 1"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def canonical_text(submission: Submission, rows: list[SubmissionSignatory]) -> str:
    """The frozen list in its canonical form, whose SHA-256 is the submission's digest (README: verifying a pack).

    UTF-8, NFC, one line each ending in a line feed: the version line; "Statement: <slug>"; "Revision: <n>";
    "Target: <name>"; "Sent: <YYYY-MM-DD>"; "Signatories: <total>, <named> named"; then each named organisation
    in the list's order as "<identifier or ->" TAB "<name>". Runs of white space in names become one space.
    """
    assert submission.sent_on is not None
    total = sum(submission.signatory_counts.values())
    lines = [
        CANONICAL_VERSION,
        f"Statement: {submission.statement.slug}",
        f"Revision: {submission.revision.number}",
        f"Target: {_clean(submission.target.name)}",
        f"Sent: {submission.sent_on.isoformat()}",
        f"Signatories: {total}, {len(rows)} named",
    ]
    lines += [f"{row.identifier or '-'}\t{_clean(row.name)}" for row in rows]
    return "".join(f"{line}\n" for line in lines)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def saved(submission: Submission) -> list[SubmissionSignatory]:
    return list(
        db.session.scalars(
            sa.select(SubmissionSignatory)
            .where(SubmissionSignatory.submission_id == submission.id)
            .order_by(SubmissionSignatory.position)
        )
    )


def list_for(submission: Submission) -> SignatoryList:
    """The frozen list of a submission that was sent; for one only planned, the current list as a draft."""
    if submission.sent_on is not None:
        return SignatoryList(saved(submission), dict(submission.signatory_counts), submission.sent_on, draft=False)
    as_of = utcnow()
    rows, counts = _rows(_signatures(submission.statement_id, None))
    return SignatoryList(rows, counts, as_of, draft=True)
