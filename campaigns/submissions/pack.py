"""The submission pack: what was sent, as a print-ready page and a PDF.

The PDF is drawn with ReportLab (pip only, no system libraries): the statement and its asks, the
co-authors, then the frozen signatory list in two columns grouped by kind and region, with a running
header and page numbers on every page, so a list of a thousand stays readable.
"""

from __future__ import annotations

import io
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from campaigns.statements.markdown import render_markdown
from campaigns.statements.queries import agreeing_organisations
from campaigns.submissions.blueprint import format_day
from campaigns.submissions.models import Submission, SubmissionSignatory
from campaigns.submissions.pdf_text import flowables
from campaigns.submissions.signatories import SignatoryList, list_for
from campaigns.urls import external_url

KIND_ORDER = {"council": 0, "vcs": 1, "public_body": 2}
KIND_HEADINGS = {"council": "Councils", "vcs": "Voluntary and community sector", "public_body": "Public bodies"}


def grouped(signatories: list[SubmissionSignatory]) -> list[tuple[str, list[tuple[str, list[SubmissionSignatory]]]]]:
    """Signatories by kind, then by region, each sorted by name."""
    ordered = sorted(signatories, key=lambda s: (KIND_ORDER.get(s.kind, 9), s.region, s.name.lower()))
    result = []
    for kind, in_kind in groupby(ordered, key=lambda s: s.kind):
        regions = [(region, list(rows)) for region, rows in groupby(in_kind, key=lambda s: s.region)]
        result.append((KIND_HEADINGS.get(kind, kind), regions))
    return result


def signed_line(signatories: SignatoryList) -> str:
    """The sentence that says how many had signed, and as of when."""
    total = signatories.total
    if signatories.draft:
        said = f"{_organisations(total, 'has', 'have')} signed as of {signatories.as_of_text}"
    else:
        said = f"{_organisations(total, 'had', 'had')} signed when this was sent on {signatories.as_of_text}"
    unlisted = signatories.unlisted
    return said + (f"; {unlisted} asked not to be named." if unlisted else ".")


def draft_notice(signatories: SignatoryList) -> str:
    """Printed on every page of a pack that has not been sent: its list is today's, not a frozen one."""
    signed = _organisations(signatories.total, "has", "have")
    return f"Draft: not yet sent. {signed} signed as of {signatories.as_of_text}."


def _named(row: SubmissionSignatory) -> str:
    return f"{row.name} ({row.identifier})" if row.identifier else row.name


def _organisations(n: int, one: str, many: str) -> str:
    return f"{n} organisation {one}" if n == 1 else f"{n} organisations {many}"


def contents(submission: Submission) -> dict[str, Any]:
    signatories = list_for(submission)
    revision = submission.revision
    return {
        "submission": submission,
        "statement": submission.statement,
        "revision": revision,
        "body": render_markdown(revision.body),
        "authors": agreeing_organisations(submission.statement, revision),
        "signatories": signatories,
        "groups": grouped(signatories.rows),
        "signed_line": signed_line(signatories),
        "draft_notice": draft_notice(signatories) if signatories.draft else None,
        "verify_url": external_url("submissions.verify", digest=submission.digest) if submission.digest else None,
    }


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=20, leading=24, alignment=TA_LEFT
        ),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=14, leading=18),
        "h3": ParagraphStyle(
            "h3", parent=base["Heading3"], fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6
        ),
        "h4": ParagraphStyle("h4", parent=body, fontName="Helvetica-Oblique", fontSize=9, leading=11, spaceBefore=4),
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, fontSize=9, textColor=colors.HexColor("#505a5f")),
        "name": ParagraphStyle("name", parent=body, fontSize=8.5, leading=10.5),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class NumberedCanvas(Canvas):
    """Holds every page until the end, so each can say "Page 3 of 12"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own showPage does this; not in its stubs

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#505a5f"))
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {number} of {total}")
            super().showPage()
        super().save()


def pdf(submission: Submission) -> bytes:
    data = contents(submission)
    revision = data["revision"]
    styles = _styles()
    buffer = io.BytesIO()
    header = f"{revision.title} — {'draft for' if submission.sent_on is None else 'sent to'} {submission.target.name}"
    reference = f"Revision {revision.number}" + (f", reference {submission.reference}" if submission.reference else "")

    notice = data["draft_notice"]
    verify_url = data["verify_url"]

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(18 * mm, A4[1] - 12 * mm, header[:110])
        canvas.drawString(18 * mm, 10 * mm, reference[:80])
        if verify_url:
            canvas.drawString(18 * mm, 14 * mm, f"Check this list: {verify_url}")
        if notice:
            canvas.setFont("Helvetica-Bold", 10)
            canvas.setFillColor(colors.HexColor("#d4351c"))
            canvas.drawString(18 * mm, A4[1] - 17 * mm, notice)
        canvas.restoreState()

    width, height = A4
    margin, gap = 18 * mm, 8 * mm
    full = Frame(margin, 16 * mm, width - 2 * margin, height - 34 * mm, id="full")
    column = (width - 2 * margin - gap) / 2
    left = Frame(margin, 16 * mm, column, height - 34 * mm, id="left")
    right = Frame(margin + column + gap, 16 * mm, column, height - 34 * mm, id="right")
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=revision.title,
        author="Common Ground",
        subject=f"Submission to {submission.target.name}",
        pageTemplates=[
            PageTemplate(id="text", frames=[full], onPage=decorate),
            PageTemplate(id="columns", frames=[left, right], onPage=decorate),
        ],
    )
    sent = f"Sent {format_day(submission.sent_on)}" if submission.sent_on else "Not yet sent"
    story: list[Any] = [
        _p(revision.title, styles["title"]),
        _p(f"To {submission.target.name}. {sent}. {reference}.", styles["meta"]),
        Spacer(1, 4 * mm),
        _p(revision.summary, styles["body"]),
    ]
    story += flowables(revision.body, styles)
    story += [
        _p("We ask", styles["h2"]),
        ListFlowable(
            [ListItem(_p(ask, styles["body"])) for ask in revision.asks],  # type: ignore[misc]  # as in pdf_text
            bulletType="1",
            leftIndent=14,
        ),
        _p("Written by", styles["h2"]),
    ]
    story += [_p(organisation.name, styles["body"]) for organisation in data["authors"]]
    story += [_p("Signed by", styles["h2"]), _p(data["signed_line"], styles["meta"])]
    if verify_url:
        story.append(
            _p(
                f"Anyone can check this list at {verify_url} (SHA-256 digest {submission.digest} of the list's "
                "canonical form).",
                styles["meta"],
            )
        )
    story.append(NextPageTemplate("columns"))
    if data["signatories"].rows:
        story.append(FrameBreak())
        story.append(_p("Signatories", styles["h2"]))
        for kind_heading, regions in data["groups"]:
            story.append(_p(kind_heading, styles["h3"]))
            for region, rows in regions:
                first, rest = rows[0], rows[1:]
                story.append(KeepTogether([_p(region, styles["h4"]), _p(_named(first), styles["name"])]))
                story += [_p(_named(row), styles["name"]) for row in rest]
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
