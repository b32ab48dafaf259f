"""Thousands of seeded random concurrent edits: a clean merge never loses, brings back or repeats a paragraph or ask.

Each case starts from a few paragraphs and asks drawn from a small alphabet (so both sides often
touch the same item), and each side edits, deletes, inserts and moves some of them. For every
field that merges cleanly, the merge must keep what each side did to each item:

- counts: an item each side has as often appears that often; otherwise both sides' changes to
  its count apply (``base + (mine - base) + (theirs - base)``). So an item changed by one side
  only appears as often as that side has it;
- order: where one side alone reordered the items that appear once in every version, the merge
  has them in that side's order. So an item moved by one side only sits where that side put it.

The generator is seeded: a failure names the case, which replays exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import pytest

from campaigns.statements.markdown import split_paragraphs
from campaigns.statements.merging import MergeResult, StatementText, merge

#: Paragraphs of several words, so that an edited paragraph still pairs with its original.
PARAGRAPHS = [
    "Alpha: the council funds youth clubs.",
    "Bravo: libraries stay open late.",
    "Charlie: buses run every hour.",
    "Delta: parks get new benches.",
    "Echo: rents are published yearly.",
    "Foxtrot:\nsecond line of this paragraph.",
    "```\nfenced code\n\nwith a blank line\n```",
]
#: The last one leaves its code fence open: it swallows whatever follows it in the body.
NEW_PARAGRAPHS = [
    "New: a paragraph someone wrote.",
    "Newer: another paragraph.",
    "```\nnew code\n\n\nblock\n```",
    "~~~\ncode left open",
]

#: Asks are short; one-word changes to them often stop them pairing with the original.
ASKS = ["Fund clubs", "Open libraries", "Run buses", "Mend parks", "Publish rents"]
NEW_ASKS = ["Meet quarterly", "Hire wardens"]

#: Edits made by both sides sometimes coincide, as when two people fix the same typo.
EDITS = ["(revised)", "(updated)"]


def revised(item: str, edit: str) -> str:
    """The item with a word added at the start of its second line (so a code fence stays one), or at the end."""
    first, newline, rest = item.partition("\n")
    return f"{first}\n{edit} {rest}" if newline else f"{item} {edit}"


def edited(rng: random.Random, items: Sequence[str], alphabet: list[str], new_items: list[str]) -> list[str]:
    """One side's version: up to four random edits, deletions, insertions and moves."""
    result = list(items)
    for _ in range(rng.randint(0, 4)):
        operation = rng.choice(["edit", "delete", "insert", "move", "move"])
        if operation == "insert" or not result:
            result.insert(rng.randint(0, len(result)), rng.choice(new_items + alphabet))
        elif operation == "edit":
            n = rng.randrange(len(result))
            result[n] = revised(result[n], rng.choice(EDITS)) if rng.random() < 0.8 else rng.choice(new_items)
        elif operation == "delete":
            del result[rng.randrange(len(result))]
        else:
            item = result.pop(rng.randrange(len(result)))
            result.insert(rng.randint(0, len(result)), item)
    return result


def starting_items(rng: random.Random, alphabet: list[str]) -> list[str]:
    """A few distinct items, or now and then some repeated ones."""
    size = rng.randint(0, min(6, len(alphabet)))
    return rng.choices(alphabet, k=size) if rng.random() < 0.2 else rng.sample(alphabet, size)


def wanted_counts(base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]) -> Counter[str]:
    """How often a clean merge must have each item."""
    b, m, t = Counter(base), Counter(mine), Counter(theirs)
    return Counter({item: m[item] if m[item] == t[item] else m[item] + t[item] - b[item] for item in b | m | t})


def order_kept(base: Sequence[str], mine: Sequence[str], theirs: Sequence[str], merged: Sequence[str]) -> bool:
    """Whether a reordering by one side alone is kept: of the items once in every version, in that side's order."""
    versions = (base, mine, theirs, merged)
    once = set.intersection(*({item for item, n in Counter(items).items() if n == 1} for items in versions))
    in_base, in_mine, in_theirs, in_merged = ([item for item in items if item in once] for items in versions)
    if in_mine == in_base:
        return in_merged == in_theirs
    if in_theirs == in_base:
        return in_merged == in_mine
    return True  # both reordered: where a moved item goes depends on its neighbours; the counts still hold


def check_field(
    name: str, base: list[str], mine: list[str], theirs: list[str], merged: list[str], result: MergeResult
) -> None:
    """What must hold of one field (body paragraphs or asks) of any merge, and of a clean one."""
    field_conflicts = [c for c in result.conflicts if c.field == name]
    for conflict in field_conflicts:
        assert conflict.mine != conflict.theirs, f"{name}: a conflict where both sides agree"
    # Nothing I typed is lost, clean or not: conflicting runs keep my version.
    base_counts, mine_counts, their_counts, merged_counts = map(Counter, (base, mine, theirs, merged))
    for item, count in mine_counts.items():
        if not base_counts[item]:
            assert merged_counts[item] >= count, f"{name}: my new {item!r} was lost"
    if field_conflicts:
        return
    wanted = wanted_counts(base, mine, theirs)
    assert merged_counts == +wanted, f"{name}: clean merge has {merged_counts}, wanted {+wanted}"
    for item in wanted:
        if their_counts[item] == base_counts[item]:  # changed by me alone, or by no one
            assert merged_counts[item] == mine_counts[item], f"{name}: {item!r} not as I have it"
        if mine_counts[item] == base_counts[item]:
            assert merged_counts[item] == their_counts[item], f"{name}: {item!r} not as they have it"
    assert order_kept(base, mine, theirs, merged), f"{name}: clean merge loses one side's reordering"
    if mine == base:
        assert merged == theirs
    if theirs == base:
        assert merged == mine


def statement(paragraphs: list[str], asks: list[str]) -> StatementText:
    return StatementText("Title", "Summary.", "\n\n".join(paragraphs), tuple(asks))


def run_case(seed: int) -> MergeResult:
    """Merge one random case and check it; returns the result."""
    rng = random.Random(seed)
    base_paragraphs, base_asks = starting_items(rng, PARAGRAPHS), starting_items(rng, ASKS)
    base = statement(base_paragraphs, base_asks)
    mine = statement(edited(rng, base_paragraphs, PARAGRAPHS, NEW_PARAGRAPHS), edited(rng, base_asks, ASKS, NEW_ASKS))
    theirs = statement(edited(rng, base_paragraphs, PARAGRAPHS, NEW_PARAGRAPHS), edited(rng, base_asks, ASKS, NEW_ASKS))

    result = merge(base, mine, theirs)

    # The paragraphs as the merge sees them: a code fence left open swallows what follows it.
    paragraphs = [split_paragraphs(version.body) for version in (base, mine, theirs, result.text)]
    check_field("body", *paragraphs, result)
    check_field("asks", *(list(version.asks) for version in (base, mine, theirs, result.text)), result)
    assert (result.text.title, result.text.summary) == ("Title", "Summary.")
    return result


@pytest.mark.parametrize("first_seed", range(0, 10_000, 2_500))
def test_thousands_of_random_concurrent_edits_never_lose_bring_back_or_repeat_an_item(first_seed):
    clean_fields = 0
    for seed in range(first_seed, first_seed + 2_500):
        try:
            result = run_case(seed)
        except AssertionError as error:
            raise AssertionError(f"case {seed}: {error}") from error
        clean_fields += 2 - len({conflict.field for conflict in result.conflicts})
    # Most fields still merge cleanly: the check must not just turn everything into conflicts.
    assert clean_fields > 2 * 2_500 * 0.6
