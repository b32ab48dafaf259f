"""A statement's signatures as CSV: the public list for anyone, everything for the statement's owners.

Read from one query through a server-side cursor (PostgreSQL: a named cursor; both: `yield_per`), BATCH rows at a
time, and written a batch at a time, so a list of a million signatures streams with flat memory, in one
consistent snapshot. On PostgreSQL the database writes each whole line itself (export_lines.py), at nearly the
speed of `COPY ... TO STDOUT`; on SQLite the rows are formatted here, by the same rules (this module is the
reference, and a test holds the two to the same bytes). UTF-8 with a byte order mark, so Excel reads the accents
and curly quotes correctly; any cell a spreadsheet would run as a formula is defused with a leading apostrophe.

A whole file ends with one line more, `# complete: N rows` (N the rows above it, the header aside): a download
cut off on the way (a timeout, a dropped connection) lacks it, and cannot be taken for the whole list.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from campaigns.extensions import db
from campaigns.organisations.identifiers import org_id
from campaigns.organisations.models import KIND_LABELS, REGIONS, SUBTYPES, Organisation, OrganisationKind
from campaigns.signatures import export_lines
from campaigns.signatures.models import Signature, SignatureContact, SignatureSettings, SignatureStatus
from campaigns.signatures.public_list import NEWEST_FIRST, Filters, conditions
from campaigns.statements.models import Revision
from campaigns.timezone import LONDON

BOM = "\ufeff"
BATCH = 2000
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
    return csv_file(columns, _written(rows))


def csv_file(
    columns: Sequence[str], batches: Iterable[tuple[str, int]], on_batch: Callable[[int], None] | None = None
) -> Iterator[str]:
    """The CSV file in pieces from batches of finished lines (the text, and how many rows it holds): the byte order
    mark and header first, then a piece per batch, then the line that says the file is complete. `on_batch` is told
    the rows written so far after each batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield BOM + _drain(buffer)
    written, held = 0, ""
    try:
        for text, rows in batches:
            written += rows
            if held:
                yield held
            held = text
            if on_batch is not None:
                on_batch(written)
    finally:
        # Stopped part-way (a dropped download, a worker told to stop): end the database's stream now, before the
        # caller rolls back, rather than whenever the generator is collected.
        getattr(batches, "close", lambda: None)()
    writer.writerow([complete_marker(written)])
    yield held + _drain(buffer)


def _written(rows: Iterable[Sequence[str]]) -> Iterator[tuple[str, int]]:
    """Rows of cells written as CSV lines, BATCH rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for batch in _batched(rows):
        writer.writerows([[defused(cell) for cell in row] for row in batch])
        yield _drain(buffer), len(batch)


def _batched(rows: Iterable[Sequence[str]]) -> Iterator[list[Sequence[str]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def _lines(query: sa.Select[tuple[str]]) -> Iterator[tuple[str, int]]:
    """Lines PostgreSQL wrote, BATCH at a time, streamed from `COPY (query) TO STDOUT` as the server produces them.

    COPY is the fastest way out of PostgreSQL (a cursor's FETCHes took twice as long); binary format hands each
    line over as it is, where text or CSV format would escape or quote it again. One statement: one snapshot.

    Without JIT compilation, for this transaction only: the line's long expression is costly to compile and
    each parallel worker compiles it again (at a million rows, about 5 s of CPU across the three processes,
    more than it saves: the whole download took a third more CPU than it does interpreted).
    """
    connection = db.session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    # Bound client-side by psycopg, with its own quoting; enum members as their stored values.
    parameters = {name: getattr(value, "value", value) for name, value in compiled.params.items()}
    cursor = cast(psycopg.Connection[Any], connection.connection.driver_connection).cursor()
    cursor.execute("SET LOCAL jit = off")
    with cursor, cursor.copy(f"COPY ({compiled}) TO STDOUT (FORMAT binary)", parameters) as copy:
        copy.set_types(["text"])
        batch: list[str] = []
        for (line,) in copy.rows():
            batch.append(line)
            if len(batch) == BATCH:
                yield "".join(batch), BATCH
                batch.clear()
        if batch:
            yield "".join(batch), len(batch)


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


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


def public_file(statement_id: int, settings: SignatureSettings, filters: Filters) -> Iterator[str]:
    """The public CSV file in pieces, written by the database on PostgreSQL."""
    if not _on_postgresql():
        return csv_text(PUBLIC_COLUMNS, public_rows(statement_id, settings, filters))
    signed = aliased(Revision)
    query = _public_query(statement_id, settings, filters, signed, export_lines.public_line(signed.number))
    return csv_file(PUBLIC_COLUMNS, _lines(query))


def _public_query(
    statement_id: int, settings: SignatureSettings, filters: Filters, signed: type[Revision], *columns: Any
) -> sa.Select[Any]:
    """The public list, newest first, with the reader's filters: exactly what the page shows, and no more."""
    return (
        sa.select(*columns)
        .select_from(Signature)
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .join(signed, signed.id == Signature.revision_id)
        .where(*conditions(statement_id, settings, filters))
        .order_by(*NEWEST_FIRST)
    )


def public_rows(statement_id: int, settings: SignatureSettings, filters: Filters) -> Iterator[list[str]]:
    """The public list's rows as cells, formatted here (SQLite, and the reference for PostgreSQL's lines)."""
    signed = aliased(Revision)
    query = _public_query(
        statement_id,
        settings,
        filters,
        signed,
        Signature.id,
        Signature.confirmed_at,
        Signature.signer_name,
        Signature.signer_role,
        Signature.comment,
        Signature.reconfirm_revision_id,
        signed.number.label("signed_number"),
        *_organisation_columns(),
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


STATUS_LABELS = {
    SignatureStatus.PENDING: "Awaiting confirmation",
    SignatureStatus.CONFIRMED: "Confirmed",
    SignatureStatus.WITHDRAWN: "Withdrawn",
    SignatureStatus.HIDDEN: "Hidden",
    SignatureStatus.EXPIRED: "Not confirmed in time",
}
EARLIER_VERSION = "Signed an earlier version"
LAPSED = "Signed an earlier version (no longer counted)"


def status_label(status: SignatureStatus, earlier_version: bool, lapsed: bool) -> str:
    if status == SignatureStatus.CONFIRMED and lapsed:
        return LAPSED
    if status == SignatureStatus.CONFIRMED and earlier_version:
        return EARLIER_VERSION
    return STATUS_LABELS[status]


def owner_file(statement_id: int, viewer_id: int, on_batch: Callable[[int], None] | None = None) -> Iterator[str]:
    """The owners' CSV file in pieces for the people of author organisation `viewer_id`, written by the database on
    PostgreSQL. `on_batch` is told the rows written so far after each batch."""
    if not _on_postgresql():
        return csv_file(OWNER_COLUMNS, _written(owner_rows(statement_id, viewer_id)), on_batch)
    signed, newer = aliased(Revision), aliased(Revision)
    status = export_lines.status_label(STATUS_LABELS, EARLIER_VERSION, LAPSED)
    line = export_lines.owner_line(status, signed.number, newer.number, SignatureContact.granted_at)
    return csv_file(OWNER_COLUMNS, _lines(_owner_query(statement_id, viewer_id, signed, newer, line)), on_batch)


def _owner_query(
    statement_id: int, viewer_id: int, signed: type[Revision], newer: type[Revision], *columns: Any
) -> sa.Select[Any]:
    """Every signature of the statement, whatever its state, in the order they were made, with whether the signer
    agreed that the author organisation `viewer_id` may contact them."""
    return (
        sa.select(*columns)
        .select_from(Signature)
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


def owner_rows(statement_id: int, viewer_id: int) -> Iterator[list[str]]:
    """Every signature's row as cells, formatted here (SQLite, and the reference), for the people of the author
    organisation `viewer_id`: with the email address of each signer who agreed it may contact them only."""
    signed, newer = aliased(Revision), aliased(Revision)
    query = _owner_query(
        statement_id,
        viewer_id,
        signed,
        newer,
        # The organisation's own columns below, not the copy of its region kept on the signature.
        *(column for column in Signature.__table__.c if column.name != "organisation_region"),
        signed.number.label("signed_number"),
        newer.number.label("newer_number"),
        SignatureContact.granted_at.label("contact_granted_at"),
        *_organisation_columns(),
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
