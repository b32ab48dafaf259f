"""The response pack as a Word document (.docx, made with python-docx), for departments that ask for Word: the
consultation, the co-authors, each question in the consultation's order and numbering with its answer, and the
signatories of the submission it was recorded as sent in (frozen as sent), or a note that it has not been sent."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from campaigns.consultations.answers import read_answers
from campaigns.consultations.models import ConsultationResponse
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Revision
from campaigns.submissions.models import Submission
from campaigns.submissions.pack import grouped, signed_line
from campaigns.submissions.signatories import list_for
from campaigns.templating import format_datetime

_PARSER = MarkdownIt("commonmark", {"html": False})

#: Inline tokens that are text, and the text of those that stand for a space or a line break.
_TEXT = ("text", "code_inline", "image")
_BREAKS = {"softbreak": " ", "hardbreak": "\n"}


def _runs(paragraph: Paragraph, token: Token) -> None:
    """An inline token's children as runs of `paragraph`: **bold** and *italic* kept as run formatting, a link as
    its text followed by its address in brackets."""
    bold = italic = 0
    href = ""
    for child in token.children or []:
        text = child.content if child.type in _TEXT else _BREAKS.get(child.type, "")
        if child.type in ("strong_open", "strong_close"):
            bold += 1 if child.type == "strong_open" else -1
        elif child.type in ("em_open", "em_close"):
            italic += 1 if child.type == "em_open" else -1
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close" and href:
            text, href = f" ({href})", ""
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold > 0 or None, italic > 0 or None


def _paragraphs(document: WordDocument, markdown: str) -> None:
    """An answer's Markdown as Word paragraphs: headings, bulleted and numbered lists (nested as deep as Word's
    styles go), quotes and plain paragraphs, with bold, italic and links kept in their runs."""
    lists: list[str] = []  # the styles of the lists open around this point, innermost last
    heading = quoted = False
    for token in _PARSER.parse(markdown):
        if token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type in ("blockquote_open", "blockquote_close"):
            quoted = token.type == "blockquote_open"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type == "bullet_list_open" else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "inline":
            if heading:
                paragraph = document.add_heading(level=3)
            elif lists:
                depth = min(len(lists), 3)
                paragraph = document.add_paragraph(style=lists[-1] + (f" {depth}" if depth > 1 else ""))
            else:
                paragraph = document.add_paragraph(style="Quote" if quoted else None)
            _runs(paragraph, token)


def response_docx(
    response: ConsultationResponse,
    revision: Revision,
    authors: list[Organisation],
    submission: Submission | None,
) -> bytes:
    """The pack of `revision` of the response as the bytes of a .docx file."""
    consultation = response.consultation
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(revision.title, level=0)
    document.add_paragraph(
        f"A response to the {consultation.department} consultation ‘{consultation.title}’, which closes "
        f"{format_datetime(consultation.closes_at)} (UK time)."
    )
    document.add_paragraph("From " + ", ".join(organisation.name for organisation in authors) + ".")
    if revision.summary:
        document.add_paragraph(revision.summary)
    answers = read_answers(revision.body)
    section = ""
    for question in consultation.questions:
        if question.section and question.section != section:
            section = question.section
            document.add_heading(section, level=1)
        document.add_heading(f"Question {question.number}", level=2)
        asked = document.add_paragraph()
        asked.add_run(question.text).bold = True
        found = answers.get(question.number)
        if question.number in response.not_answering:
            document.add_paragraph("We are not answering this question.")
        elif found is None or not found.answered:
            document.add_paragraph("No answer.")
        else:
            _paragraphs(document, found.text)
    document.add_heading("Signatories", level=1)
    if submission is None:
        document.add_paragraph(
            "Not yet sent: the organisations that have signed are listed once it is recorded as sent."
        )
    else:
        signatories = list_for(submission)
        document.add_paragraph(signed_line(signatories))
        for kind, regions in grouped(signatories.rows):
            document.add_heading(kind, level=2)
            for region, rows in regions:
                document.add_heading(region, level=3)
                for row in rows:
                    document.add_paragraph(row.name, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
