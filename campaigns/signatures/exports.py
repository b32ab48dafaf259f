"""A statement's signatures as CSV: the public list for anyone, everything for the statement's owners.

Read from one query through a server-side cursor (PostgreSQL: a named cursor; both: `yield_per`), BATCH plain rows
at a time, and written a batch at a time, so a list of 100,000 signatures streams with flat memory, in one
consistent snapshot. UTF-8 with a byte order mark, so Excel reads the accents and curly quotes correctly; any
cell a spreadsheet would run as a formula is defused with a leading apostrophe.

A whole file ends with one line more, `# complete: N rows` (N the rows above it, the header aside): a download
cut off on the way (a timeout, a dropped connection) lacks it, and cannot be taken for the whole list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from campaigns.extensions import db
from campaigns.organisations.identifiers import org_id
from campaigns.organisations.models import KIND_LABELS, REGIONS, SUBTYPES, Organisation, OrganisationKind
from campaigns.signatures.models import Signature, SignatureContact, SignatureSettings, SignatureStatus
from campaigns.signatures.public_list import NEWEST_FIRST, Filters, conditions
from campaigns.statements.models import Revision
from campaigns.timezone import LONDON

BOM = "\ufeff"
BATCH = 500
#: What a spreadsheet may take for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PUBLIC_COLUMNS = (
    "Organisation",
    "Identifier",
    "Kind",
    "Type",
    "Region",
    "Verified organisation",
    "Signed by",
    "Role",
    "Comment",
    "Date signed",
    "Version signed",
)

OWNER_COLUMNS = (
    "Organisation",
    "Identifier",
    "Kind",
    "Type",
    "Region",
    "Verified organisation",
    "Status",
    "Counted",
    "Signer name",
    "Signer role",
    "Signer email",
    "May contact your organisation",
    "Signed in with an account",
    "Comment",
    "Agreed to be listed publicly",
    "Agreed to receive updates",
    "Consent wording",
    "Consent version",
    "Consent given (UK time)",
    "Signed (UK time)",
    "Confirmed (UK time)",
    "Revision signed",
    "Asked to confirm revision",
    "Confirm by (UK time)",
    "Stopped counting (UK time)",
    "Withdrawn (UK time)",
    "Withdrawal reason",
    "Hidden (UK time)",
    "Hidden reason",
    "Signed before launch",
    "Organisation added while signing",
)


def defused(value: str) -> str:
    """`value`, with a leading apostrophe if a spreadsheet would otherwise run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The CSV file in pieces: the byte order mark and header, then a piece per batch of rows, the last one ending
    with the line that says the file is complete."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield BOM + _drain(buffer)
    written = 0
    for written, row in enumerate(rows, start=1):
        writer.writerow([defused(cell) for cell in row])
        if written % BATCH == 0:
            yield _drain(buffer)
    writer.writerow([complete_marker(written)])
    yield _drain(buffer)


def complete_marker(rows: int) -> str:
    """The last line of a whole file. No cell we write starts with "#" and stands alone on its line."""
    return f"# complete: {rows} rows"


def _streamed(query: sa.Select[*tuple[Any, ...]]) -> Iterator[sa.Row[*tuple[Any, ...]]]:
    """The query's rows from a server-side cursor, fetched BATCH at a time."""
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        yield from batch


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _yes(value: object) -> str:
    return "Yes" if value else "No"


def _local(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") if value else ""


def _type(kind: OrganisationKind, subtype: str | None) -> str:
    return SUBTYPES[kind].get(subtype or "", "")


def _organisation_columns() -> tuple[sa.Label[Any], ...]:
    return (
        Organisation.name.label("organisation_name"),
        Organisation.charity_number.label("organisation_charity_number"),
        Organisation.company_number.label("organisation_company_number"),
        Organisation.gss_code.label("organisation_gss_code"),
        Organisation.kind.label("organisation_kind"),
        Organisation.subtype.label("organisation_subtype"),
        Organisation.region.label("organisation_region"),
        Organisation.verified_at.label("organisation_verified_at"),
    )


def _organisation_cells(row: sa.Row[tuple[object, ...]]) -> list[str]:
    return [
        row.organisation_name,
        org_id(row.organisation_charity_number, row.organisation_company_number, row.organisation_gss_code) or "",
        KIND_LABELS[row.organisation_kind],
        _type(row.organisation_kind, row.organisation_subtype),
        REGIONS.get(row.organisation_region, row.organisation_region),
        _yes(row.organisation_verified_at),
    ]


def public_rows(statement_id: int, settings: SignatureSettings, filters: Filters) -> Iterator[list[str]]:
    """The public list, newest first, with the reader's filters: exactly what the page shows, and no more."""
    signed = aliased(Revision)
    query = (
        sa.select(
            Signature.id,
            Signature.confirmed_at,
            Signature.signer_name,
            Signature.signer_role,
            Signature.comment,
            Signature.reconfirm_revision_id,
            signed.number.label("signed_number"),
            *_organisation_columns(),
        )
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .join(signed, signed.id == Signature.revision_id)
        .where(*conditions(statement_id, settings, filters))
        .order_by(*NEWEST_FIRST)
    )
    for row in _streamed(query):
        earlier = row.reconfirm_revision_id is not None
        yield [
            *_organisation_cells(row),
            row.signer_name,
            row.signer_role,
            row.comment,
            row.confirmed_at.astimezone(LONDON).strftime("%Y-%m-%d"),
            f"{'An earlier version' if earlier else 'The agreed text'} (revision {row.signed_number})",
        ]


def status_label(status: SignatureStatus, earlier_version: bool, lapsed: bool) -> str:
    if status == SignatureStatus.CONFIRMED and lapsed:
        return "Signed an earlier version (no longer counted)"
    if status == SignatureStatus.CONFIRMED and earlier_version:
        return "Signed an earlier version"
    return {
        SignatureStatus.PENDING: "Awaiting confirmation",
        SignatureStatus.CONFIRMED: "Confirmed",
        SignatureStatus.WITHDRAWN: "Withdrawn",
        SignatureStatus.HIDDEN: "Hidden",
        SignatureStatus.EXPIRED: "Not confirmed in time",
    }[status]


def owner_rows(statement_id: int, viewer_id: int) -> Iterator[list[str]]:
    """Every signature of the statement, whatever its state, in the order they were made, for the people of the
    author organisation `viewer_id`: with the email address of each signer who agreed it may contact them only."""
    signed, newer = aliased(Revision), aliased(Revision)
    query = (
        sa.select(
            # The organisation's own columns below, not the copy of its region kept on the signature.
            *(column for column in Signature.__table__.c if column.name != "organisation_region"),
            signed.number.label("signed_number"),
            newer.number.label("newer_number"),
            SignatureContact.granted_at.label("contact_granted_at"),
            *_organisation_columns(),
        )
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .join(signed, signed.id == Signature.revision_id)
        .outerjoin(newer, newer.id == Signature.reconfirm_revision_id)
        .outerjoin(
            SignatureContact,
            sa.and_(SignatureContact.signature_id == Signature.id, SignatureContact.organisation_id == viewer_id),
        )
        .where(Signature.statement_id == statement_id)
        .order_by(Signature.created_at, Signature.id)  # the owners' list's index, read forwards
    )
    for row in _streamed(query):
        yield [
            *_organisation_cells(row),
            status_label(row.status, row.reconfirm_revision_id is not None, row.lapsed_at is not None),
            _yes(row.counted_kind is not None),
            row.signer_name,
            row.signer_role,
            row.signer_email if row.contact_granted_at is not None else "",
            _yes(row.contact_granted_at is not None),
            _yes(row.signer_id is not None),
            row.comment,
            _yes(row.list_publicly),
            _yes(row.wants_updates),
            row.consent_text,
            row.consent_version,
            _local(row.consented_at),
            _local(row.created_at),
            _local(row.confirmed_at),
            str(row.signed_number),
            str(row.newer_number or ""),
            _local(row.reconfirm_by),
            _local(row.lapsed_at),
            _local(row.withdrawn_at),
            row.withdrawal_reason,
            _local(row.hidden_at),
            row.hidden_reason,
            _yes(row.before_launch),
            _yes(row.organisation_added_here),
        ]
