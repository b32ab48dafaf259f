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

Aligning each side with the base sees a moved paragraph as deleted in one place and inserted
in another. On its own that would let a move bring back a paragraph the other side deleted, or
put a paragraph both sides moved in two places, and call the merge clean. So every merge is then
checked against what both sides did to each item, outside the conflicts: an item both sides
have equally often must appear that often; otherwise both sides' changes to how often it appears
apply (``base + (mine - base) + (theirs - base)``). And where only one side reordered the
items that appear once in every version, the merge must have them in that side's order. A run
where the sides differ that holds an item breaking this becomes a conflict too (keeping my
version): a paragraph I moved that they deleted is reported where I put it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
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
    An empty ``mine`` or ``theirs`` means that side has nothing here: it deleted the run, or has
    the item elsewhere. An empty ``base`` means something was added here: by both sides, or by
    one side at odds with what the other did to the same item elsewhere (I moved a paragraph
    here that they deleted or moved elsewhere; we both added it, in different places).
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


def _middles(base: list[str], mine: list[str], theirs: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Base, mine and theirs without the items mine and theirs both start or end with (nor their base)."""
    start = _common_prefix(mine, theirs)
    end = _common_prefix(mine[start:][::-1], theirs[start:][::-1])
    base_start = _common_prefix(base, mine[:start])
    base_end = _common_prefix(base[base_start:][::-1], mine[len(mine) - end :][::-1])
    return base[base_start : len(base) - base_end], mine[start : len(mine) - end], theirs[start : len(theirs) - end]


def _conflict(field: Field, base: list[str], mine: list[str], theirs: list[str]) -> Conflict:
    """A conflict over the part of a run where my version and theirs differ."""
    join = _CONFLICT_SEPARATORS[field].join
    return Conflict(field, *(join(items) for items in _middles(base, mine, theirs)))


def _resolve(field: Field, base: list[str], mine: list[str], theirs: list[str]) -> tuple[list[str], Conflict | None]:
    """Settle a run both sides changed, or narrow it down to the part they disagree on.

    Items both versions start or end with are agreed (e.g. both added the same paragraph and
    one side then added another); if only one side changed what is left, that side's version
    wins. Otherwise the result is my version, and a conflict on the middles that disagree.
    """
    base_middle, my_middle, their_middle = _middles(base, mine, theirs)
    if my_middle == base_middle:
        return theirs, None
    if their_middle in (base_middle, my_middle):
        return mine, None
    return mine, _conflict(field, base, mine, theirs)


@dataclass(eq=False)
class _Run:
    """A stretch of the base changed by one or both sides: each side's version of it and the outcome."""

    start: int
    end: int
    base: list[str]
    mine: list[str]
    theirs: list[str]
    merged: list[str]
    conflict: Conflict | None

    @property
    def disputed(self) -> bool:
        """Whether the sides' versions differ and the run was merged rather than left as a conflict."""
        return self.conflict is None and self.mine != self.theirs

    @property
    def items(self) -> set[str]:
        """Every item in any version of the run."""
        return {*self.base, *self.mine, *self.theirs}


def _assemble(base: list[str], runs: list[_Run], version: Callable[[_Run], list[str]]) -> list[str]:
    """The base with each run (in order) replaced by the given version of it."""
    result: list[str] = []
    position = 0
    for run in runs:
        result.extend(base[position : run.start])
        result.extend(version(run))
        position = run.end
    result.extend(base[position:])
    return result


def _miscounted(base: list[str], mine: list[str], theirs: list[str], merged: list[str]) -> set[str]:
    """Items the merge has too few or too many of, given how often each side has them.

    An item each side has as often is wanted that often (whether or not the base had it as
    often); otherwise both sides' changes to its count apply: ``base + (mine - base) + (theirs - base)``.
    """
    counts = [Counter(items) for items in (base, mine, theirs, merged)]
    wrong: set[str] = set()
    for item in set().union(*counts):
        in_base, in_mine, in_theirs, in_merged = (count[item] for count in counts)
        if in_merged != (in_mine if in_mine == in_theirs else in_mine + in_theirs - in_base):
            wrong.add(item)
    return wrong


def _misordered(base: list[str], mine: list[str], theirs: list[str], merged: list[str]) -> set[str]:
    """Items out of order where one side alone reordered them.

    Of the items that appear once in every version: if one side kept them in the base order,
    the merge must have them in the other side's order. (If both sides reordered them, each
    moved item goes where its new neighbours put it, and only the counts are checked.)
    """
    versions = (base, mine, theirs, merged)
    once = set.intersection(*({item for item, n in Counter(items).items() if n == 1} for items in versions))
    base_order, my_order, their_order, merged_order = ([item for item in items if item in once] for items in versions)
    wanted = their_order if my_order == base_order else my_order if their_order == base_order else merged_order
    return {item for item, other in zip(merged_order, wanted, strict=True) if item != other}


def _misplaced(runs: list[_Run], base: list[str]) -> set[str]:
    """Items the merge loses, brings back, repeats or misorders, counting only what is outside its conflicts."""

    def outside_conflicts(side: str) -> Callable[[_Run], list[str]]:
        return lambda run: [] if run.conflict else getattr(run, side)

    base_part, mine_part, theirs_part, merged_part = (
        _assemble(base, runs, outside_conflicts(side)) for side in ("base", "mine", "theirs", "merged")
    )
    return _miscounted(base_part, mine_part, theirs_part, merged_part) | _misordered(
        base_part, mine_part, theirs_part, merged_part
    )


def _with_conflicts(field: Field, runs: list[_Run], culprits: list[_Run]) -> list[_Run]:
    """The runs with each culprit made a conflict that keeps my version.

    Touching culprits become one run, which merges after all if the sides agree on it as a whole
    (each side deleted a different one of two identical paragraphs next to each other).
    """
    result: list[_Run] = []
    previous_was_culprit = False
    for run in runs:
        is_culprit = run in culprits
        if is_culprit and previous_was_culprit and result[-1].end == run.start:
            previous = result.pop()
            run = _Run(
                previous.start,
                run.end,
                previous.base + run.base,
                previous.mine + run.mine,
                previous.theirs + run.theirs,
                [],
                None,
            )
        if is_culprit:
            conflict = _conflict(field, run.base, run.mine, run.theirs) if run.mine != run.theirs else None
            run.merged, run.conflict = run.mine, conflict
        result.append(run)
        previous_was_culprit = is_culprit
    return result


def _merge_items(
    field: Field, base: Sequence[str], mine: Sequence[str], theirs: Sequence[str], conflicts: list[Conflict]
) -> list[str]:
    """Merge ordered items (paragraphs or asks), keeping my items wherever the sides conflict.

    Runs are first merged one by one. Then, while the result loses, brings back, repeats or
    misorders an item (see :func:`_misplaced`), the disputed runs holding that item become conflicts.
    """
    original = list(base)  # lists throughout: a tuple slice never equals a list
    runs: list[_Run] = []
    for run in _runs(_changes("mine", original, list(mine)) + _changes("theirs", original, list(theirs))):
        start, end = min(c.start for c in run), max(c.end for c in run)
        my_version = _apply(original, start, end, [c for c in run if c.side == "mine"])
        their_version = _apply(original, start, end, [c for c in run if c.side == "theirs"])
        version, conflict = _resolve(field, original[start:end], my_version, their_version)
        runs.append(_Run(start, end, original[start:end], my_version, their_version, version, conflict))
    while wrong := _misplaced(runs, original):
        disputed = [run for run in runs if run.disputed]
        if not disputed:  # cannot happen: with no disputed run, all versions agree outside the conflicts
            break
        # Those holding a wrong item, or else all of them: each pass leaves fewer, so the loop ends.
        runs = _with_conflicts(field, runs, [run for run in disputed if not wrong.isdisjoint(run.items)] or disputed)
    conflicts.extend(run.conflict for run in runs if run.conflict is not None)
    return _assemble(original, runs, lambda run: run.merged)


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
    otherwise the body is rebuilt from the merged paragraphs joined by a blank line. Should those
    not read back as the same paragraphs (a code fence one side left open would run on into a
    paragraph the other side added after it), the whole body conflicts and keeps my version.
    """
    conflicts: list[Conflict] = []
    title = _merge_value("title", base.title, mine.title, theirs.title, conflicts)
    summary = _merge_value("summary", base.summary, mine.summary, theirs.summary, conflicts)
    if base.body in (mine.body, theirs.body) or mine.body == theirs.body:
        body = _merge_value("body", base.body, mine.body, theirs.body, conflicts)
    else:
        body_conflicts: list[Conflict] = []
        paragraphs = _merge_items(
            "body",
            split_paragraphs(base.body),
            split_paragraphs(mine.body),
            split_paragraphs(theirs.body),
            body_conflicts,
        )
        body = "\n\n".join(paragraphs)
        if split_paragraphs(body) != paragraphs:  # e.g. my code fence, left open, would run on into theirs
            body, body_conflicts = mine.body, [Conflict("body", base.body, mine.body, theirs.body)]
        conflicts.extend(body_conflicts)
    if base.asks in (mine.asks, theirs.asks) or mine.asks == theirs.asks:
        asks = mine.asks if theirs.asks == base.asks else theirs.asks
    else:
        asks = tuple(_merge_items("asks", base.asks, mine.asks, theirs.asks, conflicts))
    return MergeResult(StatementText(title, summary, body, asks), tuple(conflicts))
