"""Three-way merge of two revisions of a statement edited from the same base revision.

Title and summary merge as whole values, the body by paragraph (the blocks of
:func:`split_paragraphs`) and the asks by item. For those ordered sequences difflib aligns
each side with the base, and the changes found are grouped into runs that overlap. A run
changed by one side only, or identically by both, merges cleanly; so does a run where, once
the items both sides agree on are set aside, only one side changed what is left. Anything
else is a conflict.

Unlike diff3 (GNU diff3, git, the merge3 package), changes to *neighbouring* paragraphs do not
conflict: co-authors routinely edit adjacent paragraphs, and a paragraph is the unit they
write. Only changes to the same paragraph, or insertions at the same place, overlap. (That is
also why this does not use merge3, besides its GPL licence; where merge3 merges cleanly, the
results agree.)

Where a run conflicts, the merged text keeps *my* version of it, so nothing the person
merging typed is lost, and the :class:`Conflict` records what *they* (the other side) had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from campaigns.statements.diffs import pair_edits, sequence_matcher
from campaigns.statements.markdown import split_paragraphs

Field = Literal["title", "summary", "body", "asks"]
Side = Literal["mine", "theirs"]

#: How the items of a conflicting run are joined in a :class:`Conflict`.
_CONFLICT_SEPARATORS: dict[Field, str] = {"body": "\n\n", "asks": "\n"}


@dataclass(frozen=True)
class StatementText:
    """The full text of one revision of a statement."""

    title: str
    summary: str
    body: str
    asks: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """One run changed differently on both sides.

    For title and summary the run is the whole value. For the body it is the paragraphs
    involved joined with a blank line, for the asks the asks involved joined with a newline.
    An empty ``mine`` or ``theirs`` means that side deleted the run; an empty ``base`` means
    both sides added something at the same place.
    """

    field: Field
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class MergeResult:
    """The merged text (my version in every conflicting run) and the conflicts found."""

    text: StatementText
    conflicts: tuple[Conflict, ...]

    @property
    def clean(self) -> bool:
        """Whether both sides' changes were combined with nothing left to resolve."""
        return not self.conflicts


class _Change(NamedTuple):
    """One side's replacement of base[start:end] (an empty span for an insertion) with ``items``."""

    start: int
    end: int
    side: Side
    items: Sequence[str]


def _changes(side: Side, base: list[str], edited: list[str]) -> list[_Change]:
    """One side's changes against the base, in order, none overlapping another.

    difflib reports neighbouring edited items as one replacement. We split it where we can
    tell the items apart (as many replacing as many: each in place; otherwise by similarity,
    as the diff page does) so that it can merge with the other side's edits beside it.
    """
    matcher = sequence_matcher(base, edited)
    changes: list[_Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            changes.extend(
                _Change(i, i + 1, side, [edited[j]]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        pairs = pair_edits(base[i1:i2], edited[j1:j2]) if tag == "replace" else []
        if not any(i is not None and j is not None for i, j in pairs):
            changes.append(_Change(i1, i2, side, edited[j1:j2]))
            continue
        added: list[str] = []  # new items waiting to be inserted before the next base item
        for i, j in pairs:
            new_items = [] if j is None else [edited[j1 + j]]
            if i is None:
                added.extend(new_items)
                continue
            if added:
                changes.append(_Change(i1 + i, i1 + i, side, added))
                added = []
            changes.append(_Change(i1 + i, i1 + i + 1, side, new_items))
        if added:
            changes.append(_Change(i2, i2, side, added))
    return changes


def _runs(changes: list[_Change]) -> list[list[_Change]]:
    """Group both sides' changes, in base order, into runs of overlapping changes.

    One side's changes never overlap one another (nor are two of its insertions at one place),
    so a change overlaps the current run exactly when it starts before the run's furthest end
    (ties sort insertions first, so an insertion just before an edit stays apart), or when it
    is an insertion at the same place as an insertion from the other side.
    """
    runs: list[list[_Change]] = []
    reach = -1
    for change in sorted(changes, key=lambda c: (c.start, c.end)):
        current = runs[-1] if runs else []
        same_place = change.start == change.end and any(
            other.start == other.end == change.start and other.side != change.side for other in current
        )
        if current and (change.start < reach or same_place):
            current.append(change)
            reach = max(reach, change.end)
        else:
            runs.append([change])
            reach = change.end
    return runs


def _apply(base: Sequence[str], start: int, end: int, changes: Sequence[_Change]) -> list[str]:
    """base[start:end] with one side's changes (all inside that span, in order) applied."""
    result: list[str] = []
    position = start
    for change in changes:
        result.extend(base[position : change.start])
        result.extend(change.items)
        position = change.end
    result.extend(base[position:end])
    return result


def _common_prefix(a: list[str], b: list[str]) -> int:
    return next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _resolve(field: Field, base: list[str], mine: list[str], theirs: list[str]) -> tuple[list[str], Conflict | None]:
    """Settle a run both sides changed, or narrow it down to the part they disagree on.

    Items both versions start or end with are agreed (e.g. both added the same paragraph and
    one side then added another); if only one side changed what is left, that side's version
    wins. Otherwise the result is my version, and a conflict on the middles that disagree.
    """
    start = _common_prefix(mine, theirs)
    end = _common_prefix(mine[start:][::-1], theirs[start:][::-1])
    base_start = _common_prefix(base, mine[:start])
    base_end = _common_prefix(base[base_start:][::-1], mine[len(mine) - end :][::-1])
    base_middle = base[base_start : len(base) - base_end]
    my_middle, their_middle = mine[start : len(mine) - end], theirs[start : len(theirs) - end]
    if my_middle == base_middle:
        return theirs, None
    if their_middle in (base_middle, my_middle):
        return mine, None
    join = _CONFLICT_SEPARATORS[field].join
    return mine, Conflict(field, join(base_middle), join(my_middle), join(their_middle))


def _merge_items(
    field: Field, base: Sequence[str], mine: Sequence[str], theirs: Sequence[str], conflicts: list[Conflict]
) -> list[str]:
    """Merge ordered items (paragraphs or asks), keeping my items wherever the sides conflict."""
    original = list(base)  # lists throughout: a tuple slice never equals a list
    merged: list[str] = []
    position = 0
    for run in _runs(_changes("mine", original, list(mine)) + _changes("theirs", original, list(theirs))):
        start, end = min(c.start for c in run), max(c.end for c in run)
        merged.extend(original[position:start])
        my_version = _apply(original, start, end, [c for c in run if c.side == "mine"])
        their_version = _apply(original, start, end, [c for c in run if c.side == "theirs"])
        version, conflict = _resolve(field, original[start:end], my_version, their_version)
        merged.extend(version)
        if conflict is not None:
            conflicts.append(conflict)
        position = end
    merged.extend(original[position:])
    return merged


def _merge_value(field: Field, base: str, mine: str, theirs: str, conflicts: list[Conflict]) -> str:
    """Merge a value that only changes as a whole."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    conflicts.append(Conflict(field, base, mine, theirs))
    return mine


def merge(base: StatementText, mine: StatementText, theirs: StatementText) -> MergeResult:
    """Combine my changes and theirs, both made since ``base``, reporting what overlaps.

    A body or list of asks changed on one side only is taken exactly as that side has it;
    otherwise the body is rebuilt from the merged paragraphs joined by a blank line.
    """
    conflicts: list[Conflict] = []
    title = _merge_value("title", base.title, mine.title, theirs.title, conflicts)
    summary = _merge_value("summary", base.summary, mine.summary, theirs.summary, conflicts)
    if base.body in (mine.body, theirs.body) or mine.body == theirs.body:
        body = _merge_value("body", base.body, mine.body, theirs.body, conflicts)
    else:
        paragraphs = _merge_items(
            "body", split_paragraphs(base.body), split_paragraphs(mine.body), split_paragraphs(theirs.body), conflicts
        )
        body = "\n\n".join(paragraphs)
    if base.asks in (mine.asks, theirs.asks) or mine.asks == theirs.asks:
        asks = mine.asks if theirs.asks == base.asks else theirs.asks
    else:
        asks = tuple(_merge_items("asks", base.asks, mine.asks, theirs.asks, conflicts))
    return MergeResult(StatementText(title, summary, body, asks), tuple(conflicts))
