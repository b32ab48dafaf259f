"""Reading a consultation from what people have to hand: a GOV.UK content item, and its questions pasted as text.

A content item is the JSON GOV.UK's Content API gives for a page (https://www.gov.uk/api/content/<path>): the
title and description at the top, the organisations under `links`, and under `details` the `opening_date`,
`closing_date` (ISO 8601 with an offset) and `ways_to_respond` (`email`, `link_url`, `postal_address`). We never
fetch it: the person pastes it, and checks what we read before anything is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

from campaigns.errors import DomainError

#: The content schemas whose pages take responses.
CONSULTATION_SCHEMAS = ("consultation", "call_for_evidence")
GOV_UK = "https://www.gov.uk"


class NotAConsultation(DomainError):
    """What was pasted cannot be read as a consultation's content item; the message says why."""


@dataclass(frozen=True)
class ConsultationDetails:
    """A consultation's details as a person enters (or checks) them. Times are aware datetimes."""

    title: str
    department: str
    closes_at: datetime
    opens_at: datetime | None = None
    link: str = ""
    summary: str = ""
    response_email: str = ""
    response_url: str = ""
    postal_address: str = ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class _PlainText(HTMLParser):
    """HTML (GOV.UK sometimes writes a postal address as a paragraph with <br>s) to plain lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(value: str) -> str:
    """The text of a little HTML, one line per line break or paragraph, blank lines dropped."""
    parser = _PlainText()
    parser.feed(value)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _moment(details: dict, name: str, *, required: bool) -> datetime | None:
    value = details.get(name)
    if value in (None, ""):
        if required:
            raise NotAConsultation("The content item has no closing date (details.closing_date).")
        return None
    if not isinstance(value, str):
        raise NotAConsultation(f"The content item's details.{name} is not a date and time.")
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            raise NotAConsultation(f"The content item's details.{name} does not say which time zone it is in.")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not a date, or one at the very edge of the calendar
        raise NotAConsultation(f"The content item's details.{name}, ‘{value[:40]}’, is not a date and time.") from None


def read_content_item(pasted: str) -> ConsultationDetails:
    """A consultation's details from a GOV.UK content item's JSON; NotAConsultation says what is wrong with it."""
    try:
        item = json.loads(pasted)
    except (ValueError, RecursionError):
        raise NotAConsultation(
            "That is not a content item: paste the whole of the page at www.gov.uk/api/content/… as it is."
        ) from None
    if not isinstance(item, dict):
        raise NotAConsultation("That is not a content item: it should be one JSON object, in { and }.")
    schema = _text(item.get("schema_name")) or _text(item.get("document_type"))
    if schema and schema not in CONSULTATION_SCHEMAS and not schema.endswith("consultation"):
        raise NotAConsultation(f"That content item is a {schema.replace('_', ' ')}, not a consultation.")
    details = item.get("details")
    if not isinstance(details, dict):
        raise NotAConsultation("The content item has no details, where a consultation's dates are.")
    title = " ".join(_text(item.get("title")).split())
    if not title:
        raise NotAConsultation("The content item has no title.")
    closes_at = _moment(details, "closing_date", required=True)
    assert closes_at is not None
    links = item.get("links")
    organisations = links.get("organisations") if isinstance(links, dict) else None
    names = [
        _text(organisation.get("title"))
        for organisation in (organisations if isinstance(organisations, list) else [])
        if isinstance(organisation, dict) and _text(organisation.get("title"))
    ]
    ways = details.get("ways_to_respond")
    ways = ways if isinstance(ways, dict) else {}
    base_path = _text(item.get("base_path"))
    return ConsultationDetails(
        title=title[:300],
        department=", ".join(names)[:300],
        closes_at=closes_at,
        opens_at=_moment(details, "opening_date", required=False),
        link=GOV_UK + base_path if base_path.startswith("/") else "",
        summary=_text(item.get("description")),
        response_email=_text(ways.get("email")).removeprefix("mailto:"),
        response_url=_text(ways.get("link_url")),
        postal_address=plain_text(_text(ways.get("postal_address"))),
    )


# Questions pasted as text


@dataclass
class QuestionDraft:
    """One question read from pasted text, for the person to check before it is saved."""

    number: str
    text: str
    section: str = ""
    guidance: str = ""


@dataclass
class SplitQuestions:
    questions: list[QuestionDraft] = field(default_factory=list)
    #: Paragraphs before the first question that are not a section heading: shown, not kept.
    unused: list[str] = field(default_factory=list)

    @property
    def duplicate_numbers(self) -> list[str]:
        seen: set[str] = set()
        return [q.number for q in self.questions if q.number in seen or seen.add(q.number)]  # type: ignore[func-returns-value]


_QUESTION = re.compile(
    r"^(?:(?:question|q)\s*\.?\s*(?P<named>\d{1,3}[a-z]?)\b\s*[.:)\-–—]?|(?P<listed>\d{1,3}[a-z]?)[.)])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^(?:#+\s*(?P<hash>.+)|(?P<named>(?:section|chapter|part)\s+\S+.*))$", re.IGNORECASE)


def split_questions(pasted: str) -> SplitQuestions:
    """Numbered questions from pasted text: "Question 4", "Q4:", "4." or "4)" starts one; "Section …",
    "Chapter …", "Part …" or a Markdown "#" heading names the section for those after it. A question's first
    paragraph is its text, the paragraphs after it its guidance."""
    result = SplitQuestions()
    section = ""
    current: QuestionDraft | None = None
    in_text = False  # still in the question's first paragraph
    loose: list[str] = []

    def finish_loose() -> None:
        if loose:
            result.unused.append(" ".join(loose))
            loose.clear()

    for raw in pasted.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            if current is not None and current.text:
                in_text = False
                if current.guidance and not current.guidance.endswith("\n\n"):
                    current.guidance += "\n\n"
            finish_loose()
            continue
        heading = _SECTION.match(line)
        if heading:
            finish_loose()
            section = (heading["hash"] or heading["named"]).strip()[:300]
            current, in_text = None, False
            continue
        found = _QUESTION.match(line)
        if found:
            finish_loose()
            number = (found["named"] or found["listed"]).lower()
            current = QuestionDraft(number=number, text=found["rest"].strip(), section=section)
            result.questions.append(current)
            in_text = True
            continue
        if current is None:
            loose.append(line)
        elif in_text or not current.text:
            current.text = f"{current.text} {line}".strip()
            in_text = True
        else:
            joiner = "" if not current.guidance or current.guidance.endswith("\n\n") else " "
            current.guidance += joiner + line
    finish_loose()
    for question in result.questions:
        question.guidance = question.guidance.strip()
    return result


def questions_as_text(questions: list[QuestionDraft]) -> str:
    """Questions written back as text that split_questions reads the same: for changing them later."""
    blocks: list[str] = []
    section = ""
    for question in questions:
        if question.section != section:
            section = question.section
            if section:
                blocks.append(f"# {section}")
        blocks.append(f"Question {question.number}: {question.text}")
        if question.guidance:
            blocks.append(question.guidance)
    return "\n\n".join(blocks)
