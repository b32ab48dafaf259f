"""The CSV files' lines written by PostgreSQL itself: one text column per row, the whole line, ready to send.

Formatting 29 cells a row in Python (time zones, labels, defusing, quoting) cost ten times what reading the rows
does; PostgreSQL does the same work in C while it reads them, so a download runs at nearly the speed of
`COPY ... TO STDOUT`. Each cell follows exactly the rules of the Python writer in exports.py, which SQLite uses
and which stays the reference: a test compares the two files byte for byte on PostgreSQL.

- text a person typed is defused (a leading apostrophe before = + - @ tab or carriage return) and then quoted as
  Python's csv module quotes (QUOTE_MINIMAL): in double quotes, doubled inside, when it holds a comma, a double
  quote, a carriage return or a line feed;
- labels are looked up in SQL from the same dictionaries, already in their CSV form;
- times are shown in UK time (`Europe/London`), as `YYYY-MM-DD HH24:MI`;
- each line ends with CRLF, like the Python writer's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute

from campaigns.organisations.models import KIND_LABELS, REGIONS, SUBTYPES, Organisation
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.timezone import LONDON

#: What makes Python's csv writer put a cell in quotes.
_NEEDS_QUOTES = '[",\r\n]'
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Between typed cells when checking a whole row at once; a cell holding it only makes the check say "look closer".
_SEPARATOR = "\x01"
#: A typed cell in the row (joined by the separator) needs defusing or quoting.
_ATTENTION = '(^|\x01)[-=+@\t\r]|[",\r\n]'
CRLF = "\r\n"

SqlText = sa.ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class Cell:
    """One cell of a line: SQL text, never NULL; `typed` if a person typed it (or it comes from elsewhere) and it
    may need defusing or quoting, otherwise it is known to need neither (a label, a date, a number)."""

    text: SqlText
    typed: bool = False


def csv_form(value: str) -> str:
    """`value` as one cell of Python's csv writer would write it (for labels we know in advance)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([value, ""])
    return buffer.getvalue()[:-1]


def typed(value: SqlText, *, nullable: bool = False) -> Cell:
    """A cell of text a person typed."""
    return Cell(sa.func.coalesce(value, "") if nullable else value, typed=True)


def _escaped(text: SqlText) -> SqlText:
    """A typed cell defused, then quoted if need be, as exports.py writes it."""
    defused = sa.case((sa.func.left(text, 1).in_(_FORMULA_STARTS), sa.literal("'") + text), else_=text)
    return sa.case(
        (text.regexp_match(_NEEDS_QUOTES), '"' + sa.func.replace(defused, '"', '""') + '"'),
        else_=defused,
    )


def line(*cells: Cell) -> sa.Label[str]:
    """One whole line of the file. Almost every row needs no cell defused or quoted: one test of its typed cells
    together finds the few that do, and only those are written cell by cell."""
    fast = sa.func.concat_ws(",", *(cell.text for cell in cells))
    careful = sa.func.concat_ws(",", *(_escaped(cell.text) if cell.typed else cell.text for cell in cells))
    attention = sa.func.concat_ws(_SEPARATOR, *(cell.text for cell in cells if cell.typed)).regexp_match(_ATTENTION)
    return sa.case((attention, careful), else_=fast).concat(CRLF).label("line")


def label(value: SqlText, labels: Mapping[str, str], otherwise: SqlText | None = None) -> SqlText:
    """A label looked up from `labels` (by the stored value), in its CSV form."""
    return sa.case(
        {key: csv_form(text) for key, text in labels.items()}, value=value, else_="" if otherwise is None else otherwise
    )


def yes(condition: SqlText) -> Cell:
    return Cell(sa.case((condition, "Yes"), else_="No"))


def local_time(value: SqlText, length: int = 16) -> Cell:
    """The moment in UK time, `YYYY-MM-DD HH:MI` (or with `length` 10 the day), or empty.

    timestamp's own text form (ISO, which psycopg requires of the connection) cut short costs a third of to_char.
    """
    return Cell(sa.func.coalesce(sa.func.left(sa.cast(sa.func.timezone(LONDON.key, value), sa.Text), length), ""))


def number(value: SqlText) -> Cell:
    return Cell(sa.func.coalesce(sa.cast(value, sa.Text), ""))


def org_id(charity: SqlText, company: SqlText, gss: SqlText) -> SqlText:
    """identifiers.org_id, in SQL."""
    charity, company = sa.func.coalesce(charity, ""), sa.func.coalesce(company, "")
    return sa.case(
        (charity.startswith("SC"), "GB-SC-" + charity),
        (charity.startswith("NIC"), "GB-NIC-" + sa.func.substr(charity, 4)),
        (charity != "", "GB-CHC-" + charity),
        (company != "", "GB-COH-" + company),
        else_=sa.func.coalesce(gss, ""),
    )


def organisation_cells() -> list[Cell]:
    """Organisation, Identifier, Kind, Type, Region, Verified organisation."""
    subtypes = sa.case(
        *(
            (sa.and_(Organisation.kind == kind, Organisation.subtype == key), csv_form(text))
            for kind, names in SUBTYPES.items()
            for key, text in names.items()
        ),
        else_="",
    )
    return [
        typed(Organisation.name),
        typed(org_id(Organisation.charity_number, Organisation.company_number, Organisation.gss_code)),
        Cell(label(Organisation.kind, {kind.value: text for kind, text in KIND_LABELS.items()})),
        Cell(subtypes),
        # A region we have no label for is shown as stored, like any typed text.
        Cell(label(Organisation.region, REGIONS, otherwise=_escaped(Organisation.region))),
        yes(Organisation.verified_at.is_not(None)),
    ]


def public_line(signed_number: SqlText) -> sa.Label[str]:
    """A line of the public file, from signatures joined to their organisations and the revision signed."""
    earlier = Signature.reconfirm_revision_id.is_not(None)
    return line(
        *organisation_cells(),
        typed(Signature.signer_name),
        typed(Signature.signer_role),
        typed(Signature.comment),
        local_time(Signature.confirmed_at, 10),
        Cell(
            sa.case((earlier, "An earlier version"), else_="The agreed text")
            + " (revision "
            + sa.cast(signed_number, sa.Text)
            + ")"
        ),
    )


def status_label(labels: Mapping[SignatureStatus, str], earlier: str, lapsed: str) -> SqlText:
    """exports.status_label, in SQL."""
    confirmed = Signature.status == SignatureStatus.CONFIRMED.value
    return sa.case(
        (sa.and_(confirmed, Signature.lapsed_at.is_not(None)), csv_form(lapsed)),
        (sa.and_(confirmed, Signature.reconfirm_revision_id.is_not(None)), csv_form(earlier)),
        *((Signature.status == status.value, csv_form(text)) for status, text in labels.items()),
        else_="",
    )


def owner_line(status: SqlText, signed_number: SqlText, newer_number: SqlText, contact: SqlText) -> sa.Label[str]:
    """A line of the owners' file, from signatures joined to their organisations, revisions and (`contact`: when,
    or NULL) the signer's agreement that the viewer's organisation may contact them."""
    may_contact = contact.is_not(None)
    return line(
        *organisation_cells(),
        Cell(status),
        yes(Signature.counted_kind.is_not(None)),
        typed(Signature.signer_name),
        typed(Signature.signer_role),
        typed(sa.case((may_contact, Signature.signer_email), else_="")),
        yes(may_contact),
        yes(Signature.signer_id.is_not(None)),
        typed(Signature.comment),
        yes(Signature.list_publicly),
        yes(Signature.wants_updates),
        typed(Signature.consent_text),
        typed(Signature.consent_version),
        local_time(Signature.consented_at),
        local_time(Signature.created_at),
        local_time(Signature.confirmed_at),
        number(signed_number),
        number(newer_number),
        local_time(Signature.reconfirm_by),
        local_time(Signature.lapsed_at),
        local_time(Signature.withdrawn_at),
        typed(Signature.withdrawal_reason),
        local_time(Signature.hidden_at),
        typed(Signature.hidden_reason),
        yes(Signature.before_launch),
        yes(Signature.organisation_added_here),
    )
