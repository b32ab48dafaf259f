"""Web-address names (slugs) for organisations, statements and targets: one way to make them, one way to find a
free one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from campaigns.extensions import db


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

    Two requests may pick the same one at once: the column's unique constraint refuses the second.
    """
    base = slugify(text, max_length=max_length, fallback=fallback)
    taken = set(db.session.scalars(sa.select(column).where(column.like(f"{base}%")))) | set(reserved)
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
