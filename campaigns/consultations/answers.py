"""A consultation response's text: one section per question, in the consultation's numbering, inside the
statement's ordinary Markdown body.

    # Question 4

    > Should there be a funding floor?

    The answer, in as many paragraphs as it takes.

A section is a heading paragraph ("# Question 4"), the question quoted, and the answer's paragraphs. An unanswered
question holds a placeholder naming its number ("_No answer yet to question 4._"), different for each question, so
that answering two questions at once replaces two different paragraphs and the statements' three-way merge, which
works paragraph by paragraph, merges them cleanly; two co-authors changing the same answer conflict as any two
edits of one paragraph do. Revisions, diffs, comments (anchored to paragraphs), amendments and sign-off all work on
the body as they always have: this module only writes and reads its sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaigns.consultations.models import Question
from campaigns.statements.markdown import split_paragraphs

_HEADING = re.compile(r"^#\s+Question\s+(\S+?)\s*$", re.IGNORECASE)


def heading(number: str) -> str:
    """The heading paragraph of a question's section: "# Question 4"."""
    return f"# Question {number}"


def placeholder(number: str) -> str:
    """What an unanswered question's section holds: its own words, so no two sections share a paragraph."""
    return f"_No answer yet to question {number}._"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in " ".join(text.split()).splitlines())


def _section(question: Question, answer: str = "") -> list[str]:
    body = split_paragraphs(answer.strip()) if answer.strip() else [placeholder(question.number)]
    return [heading(question.number), _quote(question.text), *body]


def blank_body(questions: list[Question]) -> str:
    """The body of a new response: every question, each with no answer yet."""
    return "\n\n".join(paragraph for question in questions for paragraph in _section(question))


@dataclass(frozen=True)
class Answer:
    number: str
    #: The answer as written (Markdown); "" when the question has no answer yet.
    text: str

    @property
    def answered(self) -> bool:
        return bool(self.text)


def _sections(body: str) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The body's paragraphs, and for each question number the range of its answer's paragraphs."""
    paragraphs = split_paragraphs(body)
    found: dict[str, tuple[int, int]] = {}
    current: str | None = None
    start = 0
    for index, paragraph in enumerate(paragraphs):
        match = _HEADING.match(paragraph)
        if match:
            if current is not None:
                found.setdefault(current, (start, index))
            current, start = match[1].rstrip(".:").lower(), index + 1
            continue
        if current is not None and index == start and paragraph.startswith(">"):
            start = index + 1  # the question, quoted
    if current is not None:
        found.setdefault(current, (start, len(paragraphs)))
    return paragraphs, found


def read_answers(body: str) -> dict[str, Answer]:
    """Each question's answer in the body, by question number ("4a"); a question without a section is absent."""
    paragraphs, found = _sections(body)
    answers = {}
    for number, (start, end) in found.items():
        text = "\n\n".join(p for p in paragraphs[start:end] if p != placeholder(number)).strip()
        answers[number] = Answer(number, text)
    return answers


def with_answer(body: str, question: Question, answer: str) -> str:
    """The body with `question`'s answer replaced by `answer` ("" for none); a missing section is added at the end."""
    paragraphs, found = _sections(body)
    new = split_paragraphs(answer.strip()) if answer.strip() else [placeholder(question.number)]
    if question.number not in found:
        return "\n\n".join([*paragraphs, *_section(question, answer)])
    start, end = found[question.number]
    return "\n\n".join([*paragraphs[:start], *new, *paragraphs[end:]])
