"""Finding the organisations someone probably means when they type a name: the same name key, or a name close
to it, so that one organisation is not added (and counted) twice.

Everything is found through indexes, never by reading every organisation: the key is looked up as it is;
each distinctive word of it is looked up in the word index, with the words one typing slip away found
through their one-letter-dropped variants; only the organisations sharing the rarest words are then read (at
most CANDIDATES for each, and a word more organisations share than that only when the name has no rarer one)
and scored with rapidfuzz. A few statements, the same number at any size, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from campaigns.database import reads_only
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationWord
from campaigns.organisations.names import key_words, name_key, variants

#: A name this close (see `closeness`, 0-100) is offered as a likely match.
THRESHOLD = 88
#: At most this many organisations are read for each word looked up.
CANDIDATES = 400
#: Words looked up: the rarest of the name's words.
WORDS_LOOKED_UP = 3


def _near(typed: str, word: str) -> bool:
    """One typing slip apart (two for long words)."""
    return OSA.distance(typed, word) <= (2 if len(typed) >= 8 else 1)


def similar_words(words: list[str]) -> list[tuple[set[str], int]]:
    """For each word, the words of organisations' names that are it or one typing slip from it, with how many
    organisations have one of them (counted up to one more than we would read): one statement."""
    wanted = {variant for word in words for variant in variants(word)}
    if not wanted:
        return []
    found = db.session.execute(_variants(_dialect()), {"variants": list(wanted), "most": CANDIDATES + 1}).all()
    held = {known: n for _variant, known, n in found}
    groups = []
    for word in words:
        mine = variants(word)
        group = {known for variant, known, _n in found if variant in mine and _near(word, known)}
        if group:
            # Each word's rows of the index are its own, so the group's are their sum.
            groups.append((group, min(CANDIDATES + 1, sum(held[known] for known in group))))
    return groups


def _candidates(key: str) -> dict[int, str]:
    """The organisations `key` may name, with their keys: those with the same key, and the first CANDIDATES having
    each of the rarest of its words (or a word one typing slip away). Two statements whatever the platform holds."""
    words = key_words(key)
    # "East Wick" may be "Eastwick": two words typed apart are looked up joined as well.
    joined = [a + b for a, b in itertools.pairwise(words) if len(a + b) <= 60]
    ranked = sorted(similar_words(words + joined), key=lambda pair: pair[1])
    # A word more organisations have than we would read tells none of them apart (the first CANDIDATES of a million
    # "trust"s are as good as any): it is looked up only when the name has no rarer word.
    rarest = [group for group, n in ranked if n <= CANDIDATES] or [group for group, _n in ranked]
    looked_up = rarest[:WORDS_LOOKED_UP]
    parameters = {f"g{i}": sorted(group) for i, group in enumerate(looked_up)} | {"key": key, "most": CANDIDATES}
    # Fetched all at once: hundreds of rows read one by one cost more than the query.
    rows = db.session.execute(_having(len(looked_up), _dialect()), parameters).all()
    return {organisation_id: other for organisation_id, other in rows if other}


# The two statements are written out (the same SQL on SQLite and PostgreSQL but for how a list is passed) rather
# than built with select(): every sign-on runs them, and building and caching a statement of subqueries costs more than
# running it. A list of words is one array on PostgreSQL (the SQL the same whatever its length, so the server keeps
# its plan), an expanding parameter on SQLite. The word index is read in its own order: with a limit, the database
# reads the first rows from the index and stops, rather than scanning the table for rows of a common word (which a
# plan may guess cheaper, and which is not when those rows are far into the table).
def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _in(name: str, dialect: str) -> str:
    return f"= ANY(CAST(:{name} AS varchar[]))" if dialect == "postgresql" else f"IN :{name}"


def _lists(statement: sa.TextClause, dialect: str, *names: str) -> sa.TextClause:
    if dialect == "postgresql":
        return statement
    return statement.bindparams(*(sa.bindparam(name, expanding=True) for name in names))


@functools.cache
def _variants(dialect: str) -> sa.TextClause:
    """The words each of :variants is a variant of, with how many rows of the word index each word has, up to :most:
    (variant, word, rows) rows. Each word is counted once, however many of its variants were asked for."""
    sql = (
        f"WITH found AS (SELECT variant, word FROM name_word_variants WHERE variant {_in('variants', dialect)}), "
        "counted AS MATERIALIZED (SELECT word, "
        f"(SELECT count(*) FROM ({_from_index('= known.word', '1 AS one')}) AS c) AS n "
        "FROM (SELECT DISTINCT word FROM found) AS known) "
        "SELECT found.variant, found.word, counted.n FROM found JOIN counted ON counted.word = found.word"
    )
    return reads_only(_lists(sa.text(sql), dialect, "variants"))


def _from_index(words: str, columns: str) -> str:
    """The first :most rows of the word index for `words` (a condition's right-hand side), in the index's order."""
    return f"SELECT {columns} FROM organisation_words WHERE word {words} ORDER BY word, organisation_id LIMIT :most"


@functools.cache
def _having(groups: int, dialect: str) -> sa.TextClause:
    """The organisations with the name key :key, and the first :most having a word of each group: (id, key) rows."""
    parts = ["SELECT id, name_key FROM organisations WHERE name_key = :key"] + [
        f"SELECT o.id, o.name_key FROM organisations AS o "
        f"JOIN ({_from_index(_in(f'g{i}', dialect), 'organisation_id')}) AS h{i} ON h{i}.organisation_id = o.id"
        for i in range(groups)
    ]
    return _lists(sa.text(" UNION ALL ".join(parts)), dialect, *(f"g{i}" for i in range(groups)))


_DIGIT = re.compile(r"\d")


def closeness(key: str, other: str) -> float:
    """How likely two name keys name one organisation, 0-100.

    100 for the same key; 0 when both carry numbers and they differ ("1st" and "2nd Ashby Scouts"); 95
    when every word of one (two words at least) is in the other ("Eastwick Food Bank" and "Eastwick
    Community Food Bank"); otherwise how alike they are in order or with their words sorted (rapidfuzz),
    so a typing slip scores high but "Hartley Tenants" and "Ashby Tenants" do not.
    """
    if key == other:
        return 100
    mine, theirs = set(key.split()), set(other.split())
    numbers = {w for w in mine if _DIGIT.search(w)}, {w for w in theirs if _DIGIT.search(w)}
    if numbers[0] != numbers[1] and numbers[0] and numbers[1]:
        return 0  # "1st Ashby Scouts" and "2nd Ashby Scouts" are two groups
    if min(len(mine), len(theirs)) >= 2 and (mine <= theirs or theirs <= mine):
        return 95
    return max(fuzz.ratio(key, other), fuzz.token_sort_ratio(key, other))


def _close(key: str, keyed: dict[int, str]) -> list[int]:
    """The ids whose keys are close enough to `key` (`closeness` at least THRESHOLD), closest first.

    `closeness` is only worked out for the keys that can reach the threshold: alike enough by rapidfuzz (compared
    all at once, in C) or holding all the words of `key` or all of theirs in it. Hundreds of candidates cost well
    under a millisecond."""
    ids, others = list(keyed), list(keyed.values())
    maybe = {
        index
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio)
        for _other, _score, index in process.extract(key, others, scorer=scorer, score_cutoff=THRESHOLD, limit=None)
    }
    mine = set(key.split())
    if len(mine) >= 2:
        maybe |= {i for i, other in enumerate(others) if mine <= set(other.split()) or set(other.split()) <= mine}
    scored = sorted((-closeness(key, others[i]), others[i], ids[i]) for i in maybe)
    return [organisation_id for score, _other, organisation_id in scored if -score >= THRESHOLD]


def likely_matches(name: str, *, limit: int = 8, exclude: Iterable[int] = ()) -> list[Organisation]:
    """The organisations `name` most likely means, closest first: the same key, then similar names."""
    key = name_key(name)
    if not key:
        return []
    excluded = set(exclude)
    keyed = {
        organisation_id: other for organisation_id, other in _candidates(key).items() if organisation_id not in excluded
    }
    chosen = _close(key, keyed)[:limit]
    if not chosen:
        return []
    found = {o.id: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(chosen)))}
    return [found[organisation_id] for organisation_id in chosen]


def same_name(name: str) -> list[Organisation]:
    """The organisations whose name key is the same as that of `name` (one, or twins confirmed different)."""
    return list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.name_key == name_key(name)).order_by(Organisation.name_twin)
        )
    )


def with_words_starting(q: str) -> sa.ColumnElement[bool]:
    """A condition: every word typed begins a word of the organisation's name ("eastw food" finds "Eastwick
    Food Bank"), through the word index. Nothing matches when nothing searchable was typed."""
    words = key_words(name_key(q))[:6]
    if not words:
        return sa.false()
    conditions = [
        Organisation.id.in_(
            sa.select(OrganisationWord.organisation_id).where(
                OrganisationWord.word >= word, OrganisationWord.word < word + "\x7f"
            )
        )
        for word in words
    ]
    return sa.and_(*conditions)


def search(q: str, *, limit: int = 20, exclude: sa.Select | None = None) -> list[Organisation]:
    """Organisations for a search box: likely matches of the name first, then names with words starting so."""
    excluded = set(db.session.scalars(exclude)) if exclude is not None else set()
    found = likely_matches(q, limit=limit, exclude=excluded)
    if len(found) < limit:
        shown = [o.id for o in found] + list(excluded)
        query = sa.select(Organisation).where(with_words_starting(q), Organisation.id.not_in(shown))
        found += db.session.scalars(query.order_by(sa.func.lower(Organisation.name)).limit(limit - len(found)))
    return found
