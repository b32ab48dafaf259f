"""Word-level diffs between revisions, as escaped HTML for a ``white-space: pre-wrap`` element.

Texts are compared paragraph by paragraph first (the blocks comments anchor to: separated by
blank lines, a fenced code block staying whole), then word by word inside the paragraphs that changed. Words are
runs of non-whitespace, so a diff never cuts through a word, an accented letter written with a
combining mark, an emoji sequence or right-to-left text; punctuation stays with its word.

Every removed run is a ``<del class="app-diff__del">`` and every added run an
``<ins class="app-diff__ins">``, each opened and closed by visually hidden text so that screen
reader users hear where a change starts and ends; CSS tells them apart without colour.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from markupsafe import Markup, escape

from campaigns.statements.markdown import split_paragraphs

#: difflib's exact matching (autojunk=False) slows down with the number of equal pairs between
#: the sequences (the same word or paragraph over and over on both sides), and can take seconds.
#: Beyond this many pairs we let it ignore very common items (autojunk) and stay fast.
_EXACT_MATCH_LIMIT = 200_000

#: Minimum share of words two items (asks, paragraphs) must have in common to count as one item edited.
_SAME_ITEM_RATIO = 0.5

#: Beyond this many candidate pairs in one changed stretch of items, we stop looking for edits.
_PAIRING_LIMIT = 400

_WORD = re.compile(r"(\s*)(\S+)")

_HIDDEN = '<span class="govuk-visually-hidden">{}</span>'
_MARKS = {
    "del": (
        '<del class="app-diff__del">' + _HIDDEN.format("deleted: "),
        _HIDDEN.format(" (end of deletion)") + "</del>",
    ),
    "ins": (
        '<ins class="app-diff__ins">' + _HIDDEN.format("inserted: "),
        _HIDDEN.format(" (end of insertion)") + "</ins>",
    ),
}

ChangeKind = Literal["same", "added", "removed", "changed"]


@dataclass(frozen=True)
class ListChange:
    """One ask in a comparison of two revisions' lists of asks."""

    kind: ChangeKind
    html: Markup


class _Word(NamedTuple):
    lead: str  # the whitespace before the word, kept so line breaks survive
    text: str


def sequence_matcher(a: Sequence[str], b: Sequence[str]) -> SequenceMatcher[str]:
    """A difflib matcher: exact where affordable, with difflib's popular-item heuristic beyond."""
    counts = Counter(b)
    equal_pairs = sum(counts[item] for item in a)
    return SequenceMatcher(None, a, b, autojunk=equal_pairs > _EXACT_MATCH_LIMIT)


def _mark(kind: Literal["del", "ins"], text: str) -> str:
    start, end = _MARKS[kind]
    return f"{start}{escape(text)}{end}"


def _words(text: str) -> tuple[list[_Word], str]:
    """Split into words with their leading whitespace, plus any trailing whitespace."""
    words = [_Word(m.group(1), m.group(2)) for m in _WORD.finditer(text)]
    consumed = sum(len(w.lead) + len(w.text) for w in words)
    return words, text[consumed:]


def _run(words: Sequence[_Word]) -> str:
    """The text of consecutive words, without the first one's leading whitespace."""
    return words[0].text + "".join(w.lead + w.text for w in words[1:])


def _diff_words(old: str, new: str) -> str:
    """HTML for a word diff of two paragraphs."""
    old_words, _ = _words(old)
    new_words, tail = _words(new)
    matcher = sequence_matcher([w.text for w in old_words], [w.text for w in new_words])
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(escape(w.lead + w.text) for w in new_words[j1:j2])
            continue
        # Whitespace before a change stays outside it, taken from the new text where there is one.
        out.append(escape(new_words[j1].lead if j2 > j1 else old_words[i1].lead))
        if i2 > i1:
            out.append(_mark("del", _run(old_words[i1:i2])))
        if j2 > j1:
            out.append(_mark("ins", _run(new_words[j1:j2])))
    out.append(escape(tail))
    return "".join(out)


def word_diff(old: str, new: str) -> Markup:
    """An inline diff of two untrusted texts; paragraphs come out separated by a blank line.

    Unchanged paragraphs are shown as in the new text; a paragraph moved elsewhere shows as
    deleted in its old place and inserted in its new one. Whitespace-only changes (spacing,
    where a line wraps, extra blank lines) are not marked: the new spacing is shown.
    """
    old_paragraphs, new_paragraphs = split_paragraphs(old), split_paragraphs(new)
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in sequence_matcher(old_paragraphs, new_paragraphs).get_opcodes():
        olds, news = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
        if tag == "equal":
            pieces.extend(escape(paragraph) for paragraph in news)
        elif tag == "delete":
            pieces.extend(_mark("del", paragraph) for paragraph in olds)
        elif tag == "insert":
            pieces.extend(_mark("ins", paragraph) for paragraph in news)
        else:
            pieces.extend(_replaced_paragraphs(olds, news))
    return Markup("\n\n".join(pieces))


def _replaced_paragraphs(olds: list[str], news: list[str]) -> list[str]:
    """As many paragraphs as before are each edited in place; otherwise pair them by similarity."""
    if len(olds) == len(news):
        pairs: list[tuple[int | None, int | None]] = [(i, i) for i in range(len(olds))]
    else:
        pairs = pair_edits(olds, news)
    pieces: list[str] = []
    for i, j in pairs:
        if i is not None and j is not None:
            pieces.append(_diff_words(olds[i], news[j]))
        elif i is not None:
            pieces.append(_mark("del", olds[i]))
        elif j is not None:
            pieces.append(_mark("ins", news[j]))
    return pieces


def _similar(old: list[str], new: list[str]) -> bool:
    """Whether two items' words overlap enough for one item edited; cheap upper bounds go first."""
    if 2 * min(len(old), len(new)) < _SAME_ITEM_RATIO * (len(old) + len(new)):
        return False
    matcher = SequenceMatcher(None, old, new)
    return matcher.quick_ratio() >= _SAME_ITEM_RATIO and matcher.ratio() >= _SAME_ITEM_RATIO


def pair_edits(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Line up a stretch of items replaced by others: which were edited in place, removed or added.

    Returns, in order, ``(i, j)`` for ``old[i]`` edited into ``new[j]``, ``(i, None)`` for a
    removed item and ``(None, j)`` for an added one. Each old item pairs with the next new item
    sharing at least half its words; in a stretch too long to compare, nothing pairs.
    """
    if len(old) * len(new) > _PAIRING_LIMIT:
        return [*((i, None) for i in range(len(old))), *((None, j) for j in range(len(new)))]
    old_words, new_words = [item.split() for item in old], [item.split() for item in new]
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, words in enumerate(old_words):
        match = next((k for k in range(j, len(new)) if _similar(words, new_words[k])), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs.extend((None, k) for k in range(j, match))
        pairs.append((i, match))
        j = match + 1
    pairs.extend((None, k) for k in range(j, len(new)))
    return pairs


def _changed_stretch(old: Sequence[str], new: Sequence[str]) -> list[ListChange]:
    changes: list[ListChange] = []
    for i, j in pair_edits(old, new):
        if i is not None and j is not None:
            changes.append(ListChange("changed", word_diff(old[i], new[j])))
        elif i is not None:
            changes.append(_removed(old[i]))
        elif j is not None:
            changes.append(_added(new[j]))
    return changes


def _added(item: str) -> ListChange:
    return ListChange("added", Markup(_mark("ins", item)))


def _removed(item: str) -> ListChange:
    return ListChange("removed", Markup(_mark("del", item)))


def list_diff(old: Sequence[str], new: Sequence[str]) -> list[ListChange]:
    """Compare two ordered lists of asks, in the new order with removed asks where they were.

    ``same`` items hold the escaped ask, ``added`` and ``removed`` items the whole ask inside
    <ins> or <del>, ``changed`` items a word diff. An ask moved to another position shows as
    removed from its old place and added in its new one.
    """
    changes: list[ListChange] = []
    for tag, i1, i2, j1, j2 in sequence_matcher(old, new).get_opcodes():
        if tag == "equal":
            changes.extend(ListChange("same", Markup(escape(item))) for item in new[j1:j2])
        elif tag == "delete":
            changes.extend(_removed(item) for item in old[i1:i2])
        elif tag == "insert":
            changes.extend(_added(item) for item in new[j1:j2])
        else:
            changes.extend(_changed_stretch(old[i1:i2], new[j1:j2]))
    return changes
