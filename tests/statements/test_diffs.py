"""Comparing two revisions shows what was deleted and inserted, to sighted and screen reader users alike."""

import html
import random
import re

from markupsafe import Markup

from campaigns.statements.diffs import ListChange, list_diff, word_diff

HIDDEN = '<span class="govuk-visually-hidden">{}</span>'


def deleted(text: str) -> str:
    return f'<del class="app-diff__del">{HIDDEN.format("deleted: ")}{text}{HIDDEN.format(" (end of deletion)")}</del>'


def inserted(text: str) -> str:
    return f'<ins class="app-diff__ins">{HIDDEN.format("inserted: ")}{text}{HIDDEN.format(" (end of insertion)")}</ins>'


def side(diff: str, keep: str) -> str:
    """The text one side of a diff had, give or take a doubled space where the other side's run was."""
    drop = "ins" if keep == "del" else "del"
    diff = re.sub(r'<span class="govuk-visually-hidden">[^<]*</span>', "", diff)
    diff = re.sub(rf"<{drop} [^>]*>.*?</{drop}>", "", diff, flags=re.DOTALL)
    return html.unescape(re.sub(r"</?(del|ins)[^>]*>", "", diff)).replace("  ", " ")


def test_unchanged_text_comes_back_escaped_with_no_marks():
    text = "The council will fund\nyouth services.\n\nSecond paragraph."
    assert word_diff(text, text) == Markup(text)


def test_a_pure_insertion_is_marked_inserted():
    assert word_diff("We ask the council.", "We ask the county council.") == f"We ask the {inserted('county')} council."


def test_a_pure_deletion_is_marked_deleted():
    assert word_diff("We ask the county council.", "We ask the council.") == f"We ask the {deleted('county')} council."


def test_a_replacement_shows_the_deleted_words_then_the_inserted_ones():
    assert word_diff("Fund three new posts by May.", "Fund five new posts by June.") == (
        f"Fund {deleted('three')}{inserted('five')} new posts by {deleted('May.')}{inserted('June.')}"
    )


def test_consecutive_changed_words_form_one_run():
    assert word_diff("a b c d", "a x y d") == f"a {deleted('b c')}{inserted('x y')} d"


def test_html_in_either_text_is_escaped():
    result = word_diff('<script>alert("x")</script> & co', "<b onclick='x()'>bold</b> & co")
    assert result == (
        f"{deleted('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;')}"
        f"{inserted('&lt;b onclick=&#39;x()&#39;&gt;bold&lt;/b&gt;')} &amp; co"
    )
    assert "<script" not in result and "<b " not in result


def test_accented_and_welsh_words_change_as_whole_words():
    assert word_diff("Café ar agor yng Nghaerdydd", "Caffi ar agor yng Nghymru") == (
        f"{deleted('Café')}{inserted('Caffi')} ar agor yng {deleted('Nghaerdydd')}{inserted('Nghymru')}"
    )


def test_a_combining_accent_is_never_split_from_its_letter():
    decomposed = "cafe\u0301"  # "café" written with a combining acute accent
    assert word_diff("cafe open", f"{decomposed} open") == f"{deleted('cafe')}{inserted(decomposed)} open"


def test_emoji_sequences_stay_whole():
    family, other_family = "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👦"
    assert word_diff(f"Families {family} 👍🏽", f"Families {other_family} 👍🏽") == (
        f"Families {deleted(family)}{inserted(other_family)} 👍🏽"
    )


def test_arabic_text_changes_by_word():
    assert word_diff("نطالب المجلس بالتمويل", "نطالب الحكومة بالتمويل") == (
        f"نطالب {deleted('المجلس')}{inserted('الحكومة')} بالتمويل"
    )


def test_empty_old_text_is_all_inserted_and_empty_new_text_all_deleted():
    assert word_diff("", "First.\n\nSecond.") == f"{inserted('First.')}\n\n{inserted('Second.')}"
    assert word_diff("First.\n\nSecond.", "  \n") == f"{deleted('First.')}\n\n{deleted('Second.')}"
    assert word_diff("", "") == ""


def test_line_breaks_inside_a_paragraph_are_kept():
    assert word_diff("line one\nline two", "line one\nline 2") == f"line one\nline {deleted('two')}{inserted('2')}"


def test_added_and_removed_paragraphs_are_marked_whole():
    old = "Intro.\n\nOld middle.\n\nEnd."
    new = "Intro.\n\nEnd.\n\nA new closing paragraph."
    assert (
        word_diff(old, new) == f"Intro.\n\n{deleted('Old middle.')}\n\nEnd.\n\n{inserted('A new closing paragraph.')}"
    )


def test_a_moved_paragraph_shows_as_deleted_in_its_old_place_and_inserted_in_its_new_one():
    old = "Alpha para.\n\nBeta para.\n\nGamma para."
    new = "Beta para.\n\nGamma para.\n\nAlpha para."
    assert word_diff(old, new) == f"{deleted('Alpha para.')}\n\nBeta para.\n\nGamma para.\n\n{inserted('Alpha para.')}"


def test_an_edited_paragraph_next_to_a_new_one_is_diffed_word_by_word():
    old = "We ask the council to fund youth clubs.\n\nSigned."
    new = "We ask the council to fund youth clubs and libraries.\n\nA new paragraph.\n\nSigned."
    assert word_diff(old, new) == (
        f"We ask the council to fund youth {deleted('clubs.')}{inserted('clubs and libraries.')}\n\n"
        f"{inserted('A new paragraph.')}\n\nSigned."
    )


def test_a_code_block_with_blank_lines_is_one_paragraph_diffed_word_by_word():
    old = "Intro.\n\n```\nfirst\n\n\nold\n```"
    new = "Intro.\n\n```\nfirst\n\n\nnew\n```"
    assert word_diff(old, new) == f"Intro.\n\n```\nfirst\n\n\n{deleted('old')}{inserted('new')}\n```"
    code = "```\nx\n\ny\n```"
    assert word_diff("A.\n\nB.", f"A.\n\n{code}\n\nB.") == f"A.\n\n{inserted(code)}\n\nB."


def test_windows_line_endings_are_not_a_change():
    assert word_diff("One.\r\n\r\nTwo.", "One.\n\nTwo.") == "One.\n\nTwo."


def test_a_twenty_thousand_word_text_with_a_few_changes_shows_just_those_changes():
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(3000)] + [
        "the",
        "council",
        "will",
        "fund",
        "local",
        "care",
        "and",
        "support",
    ]
    words = [rng.choice(vocabulary) for _ in range(20_000)]
    for paragraph_length in (100, 20_000):  # many paragraphs, then one huge paragraph
        old_paragraphs = [words[i : i + paragraph_length] for i in range(0, 20_000, paragraph_length)]
        new_paragraphs = [list(paragraph) for paragraph in old_paragraphs]
        for position in (10, 7_050, 19_990):
            new_paragraphs[position // paragraph_length][position % paragraph_length] = "CHANGED"
        new_paragraphs[12_050 // paragraph_length].insert(12_050 % paragraph_length, "ADDED")
        old = "\n\n".join(" ".join(paragraph) for paragraph in old_paragraphs)
        new = "\n\n".join(" ".join(paragraph) for paragraph in new_paragraphs)

        result = str(word_diff(old, new))

        assert result.count("<del ") == 3
        assert result.count("<ins ") == 4
        assert f" {deleted(words[7_050])}{inserted('CHANGED')} " in result
        assert f" {inserted('ADDED')} {words[12_050]} " in result
        assert side(result, "del") == old
        assert side(result, "ins") == new


def test_list_diff_reports_same_added_removed_and_changed_asks():
    old = ["Fund youth clubs", "Publish the budget early", "Keep libraries open"]
    new = ["Fund youth clubs", "Publish the draft budget early", "Keep libraries open", "Meet us quarterly"]
    assert list_diff(old, new) == [
        ListChange("same", Markup("Fund youth clubs")),
        ListChange("changed", Markup(f"Publish the {inserted('draft')} budget early")),
        ListChange("same", Markup("Keep libraries open")),
        ListChange("added", Markup(inserted("Meet us quarterly"))),
    ]


def test_list_diff_shows_an_unrelated_replacement_as_removed_and_added():
    assert list_diff(["Cut parking fees"], ["Plant more trees"]) == [
        ListChange("removed", Markup(deleted("Cut parking fees"))),
        ListChange("added", Markup(inserted("Plant more trees"))),
    ]


def test_list_diff_shows_a_reordered_ask_as_removed_and_added():
    assert [change.kind for change in list_diff(["A ask", "B ask", "C ask"], ["B ask", "C ask", "A ask"])] == [
        "removed",
        "same",
        "same",
        "added",
    ]


def test_list_diff_pairs_edited_asks_around_a_new_one():
    changes = list_diff(
        ["Fund youth clubs", "Keep libraries open"], ["Fund all youth clubs", "New ask", "Keep libraries open late"]
    )
    assert [change.kind for change in changes] == ["changed", "added", "changed"]
    assert changes[2].html == f"Keep libraries open {inserted('late')}"


def test_list_diff_escapes_asks_and_handles_empty_lists():
    assert list_diff([], ["<b>"]) == [ListChange("added", Markup(inserted("&lt;b&gt;")))]
    assert list_diff(["<i>"], []) == [ListChange("removed", Markup(deleted("&lt;i&gt;")))]
    assert list_diff(["<u>"], ["<u>"]) == [ListChange("same", Markup("&lt;u&gt;"))]
    assert list_diff([], []) == []
