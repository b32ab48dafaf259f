"""Keeping each organisation's name key and the word index up to date, whatever writes the organisation.

The key is set before every insert and every change of name (so factories, the demo and services all get it);
the words are written in the same flush. Organisations loaded in bulk without the ORM (a benchmark, an
import) are indexed afterwards by `reindex_all`, also run by `flask reindex-organisation-names`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaigns.database import utcnow
from campaigns.organisations.models import NameWordVariant, Organisation, OrganisationWord
from campaigns.organisations.names import COMMON_WORDS, key_words, name_key, variants


def index_words(connection: sa.Connection, rows: list[tuple[int, str | None]], *, new: bool = False) -> None:
    """Replace the words of each (organisation id, key); a None key (merged away) leaves it with none. Organisations
    just inserted (`new`) have none to replace."""
    if not new:
        ids = [organisation_id for organisation_id, _key in rows]
        connection.execute(sa.delete(OrganisationWord).where(OrganisationWord.organisation_id.in_(ids)))
    words: list[dict[str, Any]] = [
        {"word": word, "organisation_id": organisation_id}
        for organisation_id, key in rows
        if key
        for word in key_words(key)
    ]
    if not words:
        return
    # Sorted, so that two organisations indexed at once take the variants' index entries in the same order.
    found = sorted({(variant, row["word"]) for row in words for variant in variants(row["word"])})
    if connection.dialect.name == "postgresql":
        connection.execute(
            _INDEX_ON_POSTGRESQL,
            {
                "words": [row["word"] for row in words],
                "ids": [row["organisation_id"] for row in words],
                "variants": [variant for variant, _word in found],
                "of_words": [word for _variant, word in found],
            },
        )
        return
    connection.execute(sa.insert(OrganisationWord), words)
    insert = sqlite_insert(NameWordVariant).on_conflict_do_nothing()
    connection.execute(insert, [{"variant": v, "word": w} for v, w in found])


#: Both tables written in one statement, each from two arrays: every organisation added runs it, and a row of
#: parameters per word variant (dozens) costs more to send than the insert does.
_INDEX_ON_POSTGRESQL = sa.text(
    "WITH words AS (INSERT INTO organisation_words (word, organisation_id) "
    "SELECT * FROM unnest(CAST(:words AS varchar[]), CAST(:ids AS integer[]))) "
    "INSERT INTO name_word_variants (variant, word) "
    "SELECT * FROM unnest(CAST(:variants AS varchar[]), CAST(:of_words AS varchar[])) ON CONFLICT DO NOTHING"
)


_BULK_WORDS = """
INSERT INTO organisation_words (word, organisation_id)
SELECT DISTINCT left(w.word, 60), o.id FROM organisations AS o
CROSS JOIN LATERAL unnest(string_to_array(o.name_key, ' ')) AS w(word)
WHERE o.id > :after AND w.word <> '' AND NOT (w.word = ANY(:common))
"""

_BULK_VARIANTS = """
INSERT INTO name_word_variants (variant, word)
SELECT DISTINCT v.variant, w.word
FROM (SELECT DISTINCT word FROM organisation_words WHERE organisation_id > :after) AS w
CROSS JOIN LATERAL (
    SELECT w.word
    UNION ALL
    SELECT substr(w.word, 1, i - 1) || substr(w.word, i + 1) FROM generate_series(1, length(w.word)) AS i
    WHERE length(w.word) > 3
) AS v(variant)
ON CONFLICT DO NOTHING
"""


def index_words_after(connection: sa.Connection, after: int) -> None:
    """Index the words of every organisation with an id above `after` whose key the database was given with it (a
    bulk load, in SQL, on PostgreSQL): the same words and variants as the ORM writes, without a row in Python."""
    assert connection.dialect.name == "postgresql", "string_to_array and generate_series: PostgreSQL only"
    connection.execute(sa.text(_BULK_WORDS), {"after": after, "common": sorted(COMMON_WORDS)})
    connection.execute(sa.text(_BULK_VARIANTS), {"after": after})


@sa.event.listens_for(Organisation, "before_insert")
def _key_new(_mapper: Any, _connection: sa.Connection, organisation: Organisation) -> None:
    if organisation.name_key is None and organisation.merged_into_id is None:
        organisation.name_key = name_key(organisation.name)


@sa.event.listens_for(Organisation, "before_update")
def _key_renamed(_mapper: Any, _connection: sa.Connection, organisation: Organisation) -> None:
    if organisation.merged_into_id is None and sa.inspect(organisation).attrs.name.history.has_changes():
        organisation.name_key = name_key(organisation.name)


@sa.event.listens_for(Organisation, "after_insert")
def _index_new(_mapper: Any, connection: sa.Connection, organisation: Organisation) -> None:
    index_words(connection, [(organisation.id, organisation.name_key)], new=True)


@sa.event.listens_for(Organisation, "after_update")
def _index_renamed(_mapper: Any, connection: sa.Connection, organisation: Organisation) -> None:
    if sa.inspect(organisation).attrs.name_key.history.has_changes():
        index_words(connection, [(organisation.id, organisation.name_key)])


def reindex_all(connection: sa.Connection, batch: int = 5000) -> int:
    """Give every organisation its key and words (for rows written without the ORM); returns how many.

    Organisations that already share a name (written before keys existed, or in bulk) keep their records, as
    later twins of the first: counted as confirmed different until a platform admin merges them.
    """
    done, after = 0, 0
    now = utcnow()
    while True:
        rows = connection.execute(
            sa.select(Organisation.id, Organisation.name, Organisation.merged_into_id)
            .where(Organisation.id > after)
            .order_by(Organisation.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        keyed = [(row.id, None if row.merged_into_id else name_key(row.name)) for row in rows]
        keys = {key for _id, key in keyed if key}
        taken: dict[str, int] = {
            name: twin
            for name, twin in connection.execute(
                sa.select(Organisation.name_key, sa.func.max(Organisation.name_twin))
                .where(Organisation.name_key.in_(keys), Organisation.id < rows[0].id)
                .group_by(Organisation.name_key)
            )
            if name is not None
        }
        values = []
        for organisation_id, key in keyed:
            twin = taken[key] + 1 if key in taken else 0
            if key:
                taken[key] = twin
            values.append({"b_id": organisation_id, "b_key": key, "b_twin": twin, "b_distinct": now if twin else None})
        connection.execute(
            sa.update(Organisation)
            .where(Organisation.id == sa.bindparam("b_id"))
            .values(
                name_key=sa.bindparam("b_key"),
                name_twin=sa.bindparam("b_twin"),
                confirmed_distinct_at=sa.func.coalesce(Organisation.confirmed_distinct_at, sa.bindparam("b_distinct")),
            ),
            values,
        )
        index_words(connection, keyed)
        done += len(rows)
        after = rows[-1].id
