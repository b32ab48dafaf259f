"""The response pack as a Word document (.docx, made with python-docx), for departments that ask for Word: the
consultation, the co-authors, each question in the consultation's order and numbering with its answer, and the
signatories of the submission it was recorded as sent in (frozen as sent), or a note that it has not been sent."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt

from campaigns.consultations.answers import read_answers
from campaigns.consultations.models import ConsultationResponse
from campaigns.organisations.models import Organisation
from campaigns.statements.models import Revision
from campaigns.submissions.models import Submission
from campaigns.submissions.pack import grouped, signed_line
from campaigns.submissions.signatories import list_for
from campaigns.templating import format_datetime


def _paragraphs(document: WordDocument, markdown: str) -> None:
    """An answer's Markdown as Word paragraphs: list items as bullets, the rest as plain paragraphs."""
    for block in markdown.split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line[:2] in ("- ", "* ") for line in lines):
            for line in lines:
                document.add_paragraph(line[2:], style="List Bullet")
        elif lines:
            document.add_paragraph(" ".join(lines).replace("**", "").replace("__", ""))


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
