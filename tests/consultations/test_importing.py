"""Reading a consultation from a GOV.UK content item (files of the Content API's documented shape, no network),
and splitting pasted questions into numbered ones."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.consultations.importing import (
    NotAConsultation,
    QuestionDraft,
    questions_as_text,
    read_content_item,
    split_questions,
)

ITEMS = Path(__file__).parent / "content_items"


def _item(name: str) -> str:
    return (ITEMS / name).read_text()


def test_an_open_consultations_content_item_gives_its_title_department_dates_and_ways_to_respond():
    details = read_content_item(_item("open_consultation.json"))
    assert details.title == "Fair Funding Review: local authority funding reform"
    assert details.department == "Ministry of Housing, Communities and Local Government"
    assert details.link == "https://www.gov.uk/government/consultations/fair-funding-review-local-authority-funding"
    assert details.summary.startswith("We are seeking views")
    assert details.opens_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert details.closes_at == datetime(2027, 2, 12, 23, 59, tzinfo=UTC)
    assert details.response_email == "fairfunding@example.gov.uk"
    assert details.response_url == "https://consult.example.gov.uk/fair-funding-review"
    assert details.postal_address == (
        "Local Government Finance\n2nd Floor, Fry Building\n2 Marsham Street\nLondon\nSW1P 4DF"
    )


def test_a_call_for_evidence_in_summer_time_keeps_its_uk_times_and_names_every_department():
    details = read_content_item(_item("summer_time_call_for_evidence.json"))
    assert details.closes_at == datetime(2027, 7, 14, 16, 0, tzinfo=UTC)  # 5pm BST
    assert details.department == "Department for Work and Pensions, HM Treasury"
    assert details.response_email == "welfare.evidence@example.gov.uk"
    assert details.response_url == "" and details.postal_address == ""


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        (_item("news_story.json"), "That content item is a news article, not a consultation."),
        (_item("no_closing_date.json"), "The content item has no closing date (details.closing_date)."),
        ("<html>the page itself</html>", "That is not a content item"),
        ("[1, 2, 3]", "it should be one JSON object"),
        ('{"schema_name": "consultation", "title": "T"}', "The content item has no details"),
        (
            '{"schema_name": "consultation", "title": "T", "details": {"closing_date": "next Friday"}}',
            "details.closing_date, ‘next Friday’, is not a date and time",
        ),
        (
            '{"schema_name": "consultation", "title": "T", "details": {"closing_date": "2027-01-01T12:00:00"}}',
            "does not say which time zone",
        ),
        ('{"schema_name": "consultation", "details": {"closing_date": "2027-01-01T12:00:00Z"}}', "no title"),
        (
            '{"schema_name": "consultation", "title": "T", "details": {"closing_date": "0001-01-01T00:30:00+01:00"}}',
            "is not a date and time",
        ),
        ("[" * 100_000, "That is not a content item"),
    ],
)
def test_what_is_not_a_consultations_content_item_is_refused_saying_why(pasted, message):
    with pytest.raises(NotAConsultation) as refused:
        read_content_item(pasted)
    assert message in refused.value.message


PASTED = """The government would welcome views on the following questions.

Section 1: Assessing need

Question 1: Do you agree that the settlement should use the new needs formula?
Please explain your answer.

We are especially interested in rural areas.

Q2. Should deprivation be weighted more heavily?

# Transitional arrangements

3) Should there be a funding floor
for councils whose allocations fall?
4a. Do you have any other comments?
"""


def test_pasted_questions_are_split_into_numbered_questions_with_their_sections_and_guidance():
    split = split_questions(PASTED)
    assert split.questions == [
        QuestionDraft(
            "1",
            "Do you agree that the settlement should use the new needs formula? Please explain your answer.",
            "Section 1: Assessing need",
            "We are especially interested in rural areas.",
        ),
        QuestionDraft("2", "Should deprivation be weighted more heavily?", "Section 1: Assessing need"),
        QuestionDraft(
            "3", "Should there be a funding floor for councils whose allocations fall?", "Transitional arrangements"
        ),
        QuestionDraft("4a", "Do you have any other comments?", "Transitional arrangements"),
    ]
    assert split.unused == ["The government would welcome views on the following questions."]
    assert split.duplicate_numbers == []


def test_a_question_whose_number_stands_alone_takes_the_next_paragraph_as_its_text():
    split = split_questions("Question 7\n\nHow should the fund be shared?\n\nThink about both tiers.")
    assert split.questions == [QuestionDraft("7", "How should the fund be shared?", "", "Think about both tiers.")]


def test_a_number_used_twice_is_pointed_out():
    assert split_questions("Q1 One?\nQ2 Two?\nQ1 Again?").duplicate_numbers == ["1"]


questions = st.lists(
    st.builds(
        QuestionDraft,
        number=st.from_regex(r"[1-9][0-9]?[a-c]?", fullmatch=True),
        text=st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,8}){0,5}\?", fullmatch=True),
        section=st.one_of(st.just(""), st.from_regex(r"[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}", fullmatch=True)),
        # Guidance that starts "Section …", "Chapter …" or "Part …" would read as a heading: the person sees it.
        guidance=st.one_of(
            st.just(""),
            st.from_regex(r"[A-Z][a-z]{2,8}( [a-z]{2,8}){0,5}\.", fullmatch=True).filter(
                lambda text: text.split()[0] not in ("Section", "Chapter", "Part")
            ),
        ),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(questions)
def test_questions_written_back_as_text_split_the_same(drafts):
    # A section only carries on to the next question: written back, a question after a sectioned one is in it too.
    expected, section = [], ""
    for draft in drafts:
        section = draft.section or section
        expected.append(QuestionDraft(draft.number, draft.text, section, draft.guidance))
    assert split_questions(questions_as_text(expected)).questions == expected
