"""Two co-authors edit from the same revision: their changes combine, and overlaps are reported, never lost."""

import pytest

from campaigns.statements.merging import Conflict, MergeResult, StatementText, merge

BASE_BODY = "Intro paragraph.\n\nHousing paragraph.\n\nTransport paragraph.\n\nClosing paragraph."


def text(
    body: str = BASE_BODY,
    *,
    title: str = "Fair funding",
    summary: str = "A summary.",
    asks=("Ask one", "Ask two", "Ask three"),
):
    return StatementText(title=title, summary=summary, body=body, asks=tuple(asks))


BASE = text()


def test_nothing_changed_on_either_side_is_a_clean_merge_of_the_base():
    assert merge(BASE, BASE, BASE) == MergeResult(BASE, ())
    assert merge(BASE, BASE, BASE).clean


def test_a_change_on_one_side_only_is_taken_exactly_as_typed():
    theirs = text(body=BASE_BODY + "\n\n\n\nTheir extra paragraph.  ")
    assert merge(BASE, BASE, theirs) == MergeResult(theirs, ())
    assert merge(BASE, theirs, BASE) == MergeResult(theirs, ())


def test_edits_to_different_paragraphs_are_both_kept():
    mine = text(BASE_BODY.replace("Intro paragraph.", "My new intro."))
    theirs = text(BASE_BODY.replace("Closing paragraph.", "Their new closing."))
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text.body == "My new intro.\n\nHousing paragraph.\n\nTransport paragraph.\n\nTheir new closing."


def test_edits_to_neighbouring_paragraphs_are_both_kept():
    mine = text(BASE_BODY.replace("Housing paragraph.", "My housing."))
    theirs = text(BASE_BODY.replace("Transport paragraph.", "Their transport."))
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text.body == "Intro paragraph.\n\nMy housing.\n\nTheir transport.\n\nClosing paragraph."


def test_edits_to_the_same_paragraph_conflict_and_my_text_is_kept():
    mine = text(BASE_BODY.replace("Housing paragraph.", "My housing."))
    theirs = text(BASE_BODY.replace("Housing paragraph.", "Their housing."))
    result = merge(BASE, mine, theirs)
    assert not result.clean
    assert result.text == mine
    assert result.conflicts == (Conflict("body", "Housing paragraph.", "My housing.", "Their housing."),)


def test_a_conflict_names_only_the_paragraphs_involved_while_other_edits_merge():
    mine = text("My intro.\n\nHousing paragraph.\n\nMy transport.\n\nClosing paragraph.")
    theirs = text("Intro paragraph.\n\nHousing paragraph.\n\nTheir transport.\n\nTheir closing.")
    result = merge(BASE, mine, theirs)
    assert result.text.body == "My intro.\n\nHousing paragraph.\n\nMy transport.\n\nTheir closing."
    assert result.conflicts == (Conflict("body", "Transport paragraph.", "My transport.", "Their transport."),)


def test_deleting_a_paragraph_the_other_side_edited_conflicts_and_keeps_my_deletion():
    mine = text("Intro paragraph.\n\nTransport paragraph.\n\nClosing paragraph.")
    theirs = text(BASE_BODY.replace("Housing paragraph.", "Their housing."))
    result = merge(BASE, mine, theirs)
    assert result.text.body == "Intro paragraph.\n\nTransport paragraph.\n\nClosing paragraph."
    assert result.conflicts == (Conflict("body", "Housing paragraph.", "", "Their housing."),)


def test_paragraphs_added_in_different_places_are_both_kept():
    mine = text("My opening.\n\n" + BASE_BODY)
    theirs = text(BASE_BODY.replace("Transport paragraph.", "Transport paragraph.\n\nTheir new paragraph."))
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text.body == (
        "My opening.\n\nIntro paragraph.\n\nHousing paragraph.\n\nTransport paragraph.\n\n"
        "Their new paragraph.\n\nClosing paragraph."
    )


def test_an_edit_next_to_a_paragraph_the_other_side_inserted_merges():
    mine = text(BASE_BODY.replace("Housing paragraph.", "My housing."))
    theirs = text(BASE_BODY.replace("Housing paragraph.", "Housing paragraph.\n\nTheir new paragraph."))
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text.body == (
        "Intro paragraph.\n\nMy housing.\n\nTheir new paragraph.\n\nTransport paragraph.\n\nClosing paragraph."
    )


def test_an_edit_plus_a_new_paragraph_merges_with_an_edit_to_the_next_paragraph():
    mine = text(BASE_BODY.replace("Housing paragraph.", "Housing paragraph, expanded.\n\nMy new paragraph."))
    theirs = text(BASE_BODY.replace("Transport paragraph.", "Transport paragraph, expanded."))
    result = merge(BASE, mine, theirs)
    assert result == MergeResult(
        text(
            "Intro paragraph.\n\nHousing paragraph, expanded.\n\nMy new paragraph.\n\n"
            "Transport paragraph, expanded.\n\nClosing paragraph."
        ),
        (),
    )


def test_paragraphs_added_at_the_same_place_conflict_with_an_empty_base():
    mine = text(BASE_BODY.replace("Intro paragraph.", "Intro paragraph.\n\nMine after intro."))
    theirs = text(BASE_BODY.replace("Intro paragraph.", "Intro paragraph.\n\nTheirs after intro."))
    result = merge(BASE, mine, theirs)
    assert result.text.body == mine.body
    assert result.conflicts == (Conflict("body", "", "Mine after intro.", "Theirs after intro."),)


def test_the_same_paragraph_added_by_both_sides_at_one_place_merges_with_anything_extra():
    mine = text(BASE_BODY + "\n\nAgreed paragraph.\n\nMy extra paragraph.")
    theirs = text(BASE_BODY + "\n\nAgreed paragraph.")
    assert merge(BASE, mine, theirs) == MergeResult(mine, ())
    assert merge(BASE, theirs, mine) == MergeResult(mine, ())


def test_identical_changes_on_both_sides_are_not_a_conflict():
    both = text(
        "Intro paragraph.\n\nBoth rewrote housing.\n\nTransport paragraph.\n\nClosing paragraph.\n\nBoth added this.",
        title="Same new title",
        asks=("Ask one", "Ask two changed", "Ask three"),
    )
    assert merge(BASE, both, both) == MergeResult(both, ())


def test_a_title_changed_on_one_side_takes_that_title():
    result = merge(BASE, text(), text(title="Their title"))
    assert result == MergeResult(text(title="Their title"), ())


def test_titles_changed_differently_conflict_and_keep_mine():
    result = merge(BASE, text(title="My title", summary="My summary."), text(title="Their title"))
    assert result.text == text(title="My title", summary="My summary.")
    assert result.conflicts == (Conflict("title", "Fair funding", "My title", "Their title"),)


def test_summaries_changed_differently_conflict():
    result = merge(BASE, text(summary="Mine."), text(summary="Theirs."))
    assert result.text.summary == "Mine."
    assert result.conflicts == (Conflict("summary", "A summary.", "Mine.", "Theirs."),)


def test_asks_added_on_both_sides_at_different_positions_are_both_kept():
    mine = text(asks=("My first ask", "Ask one", "Ask two", "Ask three"))
    theirs = text(asks=("Ask one", "Ask two", "Ask three", "Their last ask"))
    result = merge(BASE, mine, theirs)
    assert result == MergeResult(text(asks=("My first ask", "Ask one", "Ask two", "Ask three", "Their last ask")), ())


def test_an_ask_edited_on_one_side_and_another_removed_on_the_other_merges():
    result = merge(BASE, text(asks=("Ask one", "Ask two, sooner", "Ask three")), text(asks=("Ask one", "Ask two")))
    assert result == MergeResult(text(asks=("Ask one", "Ask two, sooner")), ())


def test_the_same_ask_edited_differently_conflicts_line_by_line():
    mine = text(asks=("Ask one", "My ask two", "My extra ask", "Ask three"))
    theirs = text(asks=("Ask one", "Their ask two", "Ask three"))
    result = merge(BASE, mine, theirs)
    assert result.text.asks == ("Ask one", "My ask two", "My extra ask", "Ask three")
    assert result.conflicts == (Conflict("asks", "Ask two", "My ask two\nMy extra ask", "Their ask two"),)


def test_empty_fields_merge():
    empty = StatementText("", "", "", ())
    assert merge(empty, empty, empty) == MergeResult(empty, ())
    mine = StatementText("Title", "", "A body.", ("An ask",))
    assert merge(empty, mine, empty) == MergeResult(mine, ())
    result = merge(
        empty, StatementText("", "", "My body.", ("Mine",)), StatementText("", "", "Their body.", ("Theirs",))
    )
    assert result.text == StatementText("", "", "My body.", ("Mine",))
    assert result.conflicts == (Conflict("body", "", "My body.", "Their body."), Conflict("asks", "", "Mine", "Theirs"))


def test_emptying_a_body_the_other_side_edited_conflicts_over_everything_i_deleted():
    result = merge(text("One.\n\nTwo."), text(""), text("One.\n\nTwo, edited."))
    assert result.text.body == ""
    assert result.conflicts == (Conflict("body", "One.\n\nTwo.", "", "One.\n\nTwo, edited."),)


def test_unicode_paragraphs_merge_like_any_other():
    base = text("Croeso i Gymru.\n\nنطالب المجلس بالتمويل.\n\nCafé 👋")
    mine = text("Croeso cynnes i Gymru.\n\nنطالب المجلس بالتمويل.\n\nCafé 👋")
    theirs = text("Croeso i Gymru.\n\nنطالب المجلس بالتمويل.\n\nCafe\u0301 👋🏽")
    result = merge(base, mine, theirs)
    assert result == MergeResult(text("Croeso cynnes i Gymru.\n\nنطالب المجلس بالتمويل.\n\nCafe\u0301 👋🏽"), ())


def test_windows_line_endings_and_extra_blank_lines_are_normalised_when_both_sides_changed():
    mine = text("Intro paragraph.\r\n\r\n\r\nHousing paragraph.\r\n\r\nTransport paragraph.\r\n\r\nMy closing.\r\n")
    theirs = text(BASE_BODY.replace("Intro paragraph.", "Their intro."))
    result = merge(BASE, mine, theirs)
    assert result == MergeResult(text("Their intro.\n\nHousing paragraph.\n\nTransport paragraph.\n\nMy closing."), ())


def test_a_paragraph_i_moved_that_they_edited_conflicts_and_keeps_my_order():
    # A move is a deletion plus an insertion: my deletion meets their edit, so it conflicts;
    # my insertion at the end is applied. Their edit is only in the conflict.
    mine = text("Housing paragraph.\n\nTransport paragraph.\n\nClosing paragraph.\n\nIntro paragraph.")
    theirs = text(BASE_BODY.replace("Intro paragraph.", "Their intro."))
    result = merge(BASE, mine, theirs)
    assert result.text == mine
    assert result.conflicts == (Conflict("body", "Intro paragraph.", "", "Their intro."),)


def test_a_paragraph_they_moved_that_i_edited_conflicts_and_shows_both_copies_until_resolved():
    # Their move's insertion is applied; its deletion meets my edit, so my edited copy stays in
    # the old place. The body holds both copies until someone resolves the conflict.
    mine = text(BASE_BODY.replace("Intro paragraph.", "My intro."))
    theirs = text("Housing paragraph.\n\nTransport paragraph.\n\nClosing paragraph.\n\nIntro paragraph.")
    result = merge(BASE, mine, theirs)
    assert result.text.body == (
        "My intro.\n\nHousing paragraph.\n\nTransport paragraph.\n\nClosing paragraph.\n\nIntro paragraph."
    )
    assert result.conflicts == (Conflict("body", "Intro paragraph.", "My intro.", ""),)


def test_long_bodies_with_edits_far_apart_merge_cleanly():
    paragraphs = [f"Paragraph {i} about local services and funding." for i in range(3000)]
    mine_paragraphs, theirs_paragraphs = list(paragraphs), list(paragraphs)
    mine_paragraphs[5] = "My edit near the start."
    theirs_paragraphs[2990] = "Their edit near the end."
    theirs_paragraphs.insert(1500, "Their new paragraph in the middle.")
    repeated = ["---"] * 50  # repeated paragraphs must still line up
    base = text("\n\n".join(paragraphs + repeated))
    mine = text("\n\n".join(mine_paragraphs + repeated))
    theirs = text("\n\n".join(theirs_paragraphs + repeated))

    result = merge(base, mine, theirs)

    expected = list(paragraphs)
    expected[5] = "My edit near the start."
    expected[2990] = "Their edit near the end."
    expected.insert(1500, "Their new paragraph in the middle.")
    assert result == MergeResult(text("\n\n".join(expected + repeated)), ())


# Moves. Aligning a side with the base sees a moved item as deleted in one place and inserted in
# another; these are the cases where that alone would lose, bring back or repeat an item.

FUND, OPEN, RUN = "Fund the youth clubs.", "Open libraries on Sundays.", "Run buses every hour."


def with_items(field: str, items) -> StatementText:
    """A statement whose body paragraphs, or whose asks, are `items` (the other field as in BASE)."""
    return text("\n\n".join(items)) if field == "body" else text(asks=items)


@pytest.mark.parametrize("field", ["body", "asks"])
def test_an_item_i_moved_that_they_deleted_conflicts_instead_of_coming_back(field):
    result = merge(
        with_items(field, [FUND, OPEN, RUN]), with_items(field, [RUN, FUND, OPEN]), with_items(field, [FUND, OPEN])
    )
    assert result.text == with_items(field, [RUN, FUND, OPEN])
    assert result.conflicts == (Conflict(field, "", RUN, ""),)


@pytest.mark.parametrize("field", ["body", "asks"])
def test_an_item_they_moved_that_i_deleted_conflicts_and_stays_deleted(field):
    result = merge(
        with_items(field, [FUND, OPEN, RUN]), with_items(field, [FUND, OPEN]), with_items(field, [RUN, FUND, OPEN])
    )
    assert result.text == with_items(field, [FUND, OPEN])
    assert result.conflicts == (Conflict(field, "", "", RUN),)


@pytest.mark.parametrize("field", ["body", "asks"])
def test_an_item_both_moved_to_different_places_conflicts_instead_of_appearing_twice(field):
    result = merge(
        with_items(field, [FUND, OPEN, RUN]), with_items(field, [RUN, FUND, OPEN]), with_items(field, [FUND, RUN, OPEN])
    )
    assert result.text == with_items(field, [RUN, FUND, OPEN])
    assert result.conflicts == (Conflict(field, "", RUN, ""), Conflict(field, "", "", RUN))


@pytest.mark.parametrize("field", ["body", "asks"])
def test_swapping_two_items_when_they_deleted_one_conflicts_instead_of_bringing_it_back(field):
    result = merge(with_items(field, [FUND, OPEN]), with_items(field, [OPEN, FUND]), with_items(field, [FUND]))
    assert result.text == with_items(field, [OPEN, FUND])
    assert result.conflicts == (Conflict(field, "", OPEN, ""),)


@pytest.mark.parametrize("field", ["body", "asks"])
def test_each_side_moving_a_different_item_to_the_top_conflicts_over_the_whole_stretch(field):
    # I deleted the first item and moved the last to the top; they moved the second to the top.
    result = merge(
        with_items(field, [FUND, OPEN, RUN]), with_items(field, [RUN, OPEN]), with_items(field, [OPEN, FUND, RUN])
    )
    separator = "\n\n" if field == "body" else "\n"
    assert result.text == with_items(field, [RUN, OPEN])
    assert result.conflicts == (
        Conflict(
            field, separator.join([FUND, OPEN, RUN]), separator.join([RUN, OPEN]), separator.join([OPEN, FUND, RUN])
        ),
    )


@pytest.mark.parametrize("field", ["body", "asks"])
def test_moves_of_different_items_far_apart_both_apply(field):
    base = ["One.", "Two.", "Three.", "Four.", "Five.", "Six."]
    result = merge(
        with_items(field, base),
        with_items(field, ["Two.", "One.", "Three.", "Four.", "Five.", "Six."]),
        with_items(field, ["One.", "Two.", "Three.", "Four.", "Six.", "Five."]),
    )
    assert result == MergeResult(with_items(field, ["Two.", "One.", "Three.", "Four.", "Six.", "Five."]), ())


@pytest.mark.parametrize("field", ["body", "asks"])
def test_the_same_move_on_both_sides_merges_with_the_other_changes(field):
    result = merge(
        with_items(field, [FUND, OPEN, RUN]),
        with_items(field, [RUN, FUND, OPEN]),
        with_items(field, [RUN, FUND, "Open libraries on Sundays and evenings."]),
    )
    assert result == MergeResult(with_items(field, [RUN, FUND, "Open libraries on Sundays and evenings."]), ())


def test_a_paragraph_i_moved_merges_with_their_edit_to_another_paragraph():
    mine = text("Closing paragraph.\n\nIntro paragraph.\n\nHousing paragraph.\n\nTransport paragraph.")
    theirs = text(BASE_BODY.replace("Housing paragraph.", "Their housing."))
    result = merge(BASE, mine, theirs)
    assert result == MergeResult(
        text("Closing paragraph.\n\nIntro paragraph.\n\nTheir housing.\n\nTransport paragraph."), ()
    )


def test_the_same_new_paragraph_added_in_different_places_conflicts_instead_of_appearing_twice():
    mine = text("Agreed paragraph.\n\n" + BASE_BODY)
    theirs = text(BASE_BODY + "\n\nAgreed paragraph.")
    result = merge(BASE, mine, theirs)
    assert result.text == mine
    assert result.conflicts == (
        Conflict("body", "", "Agreed paragraph.", ""),
        Conflict("body", "", "", "Agreed paragraph."),
    )


# Code blocks: a fenced block with blank lines in it is one paragraph.

CODE = "```\nline one\n\n\nline four\n```"


def test_a_fenced_code_block_with_blank_lines_merges_as_one_paragraph():
    base = text(f"Intro paragraph.\n\n{CODE}\n\nClosing paragraph.")
    mine = text(f"Intro paragraph.\n\n{CODE.replace('four', '4')}\n\nClosing paragraph.")
    theirs = text(f"Their intro.\n\n{CODE}\n\nClosing paragraph.")
    result = merge(base, mine, theirs)
    assert result == MergeResult(text(f"Their intro.\n\n{CODE.replace('four', '4')}\n\nClosing paragraph."), ())


def test_a_code_fence_i_left_open_that_would_swallow_their_new_paragraph_conflicts_over_the_whole_body():
    base = text(f"{CODE}\n\nIntro paragraph.")
    mine = text("```\nline one\n\n\nline four\n\nIntro paragraph.")  # no closing fence: all one block
    theirs = text(f"{CODE}\n\nIntro paragraph.\n\nTheir new paragraph.")
    result = merge(base, mine, theirs)
    assert result.text == mine
    assert result.conflicts == (Conflict("body", base.body, mine.body, theirs.body),)
