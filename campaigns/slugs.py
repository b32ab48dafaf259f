"""Web-address names (slugs) for organisations, statements and targets: one way to make them, one way to find a
free one."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from campaigns.extensions import db

#: Slugs looked up at once when finding a free one: the name itself and its first numbered forms.
SLUGS_LOOKED_UP = 20


def slugify(text: str, *, max_length: int = 100, fallback: str = "item") -> str:
    """Lower-case ASCII letters and digits joined by hyphens: "Café Trust (North)" → "cafe-trust-north"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def free_slug(
    column: InstrumentedAttribute[str],
    text: str,
    *,
    max_length: int = 100,
    fallback: str = "item",
    reserved: Collection[str] = (),
) -> str:
    """The slug of `text` if no row has it in `column` (and it is not `reserved`), else the first free "-2", "-3" …

    The candidates are looked up by equality, a batch at a time, so the column's unique index finds them whatever
    the database's collation (a `LIKE 'base%'` would read every row on SQLite, and on PostgreSQL outside the C
    collation). Two requests may pick the same one at once: the column's unique constraint refuses the second.
    """
    base = slugify(text, max_length=max_length, fallback=fallback)
    for start in itertools.count(2, SLUGS_LOOKED_UP):
        candidates = ([base] if start == 2 else []) + [f"{base}-{n}" for n in range(start, start + SLUGS_LOOKED_UP)]
        taken = set(db.session.scalars(sa.select(column).where(column.in_(candidates)))) | set(reserved)
        free = next((slug for slug in candidates if slug not in taken), None)
        if free is not None:
            return free
    raise AssertionError("unreachable")  # pragma: no cover
