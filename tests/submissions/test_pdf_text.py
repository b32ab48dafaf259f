import io

from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from campaigns.submissions.pack import _styles
from campaigns.submissions.pdf_text import flowables

BODY = """## Why it matters

Councils are **stretched** and charities *pick up* the pieces; see [the report](https://example.org/report).

- Restore the grant
- Plan for three years
  1. Nested & numbered

> A quote from a <resident>.
"""


def _as_pdf_text(body: str) -> str:
    out = io.BytesIO()
    SimpleDocTemplate(out).build(flowables(body, _styles()))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    return " ".join(text.split())


def test_the_pack_shows_markdown_as_formatted_text_not_as_its_symbols():
    text = _as_pdf_text(BODY)
    for words in ("Why it matters", "Councils are stretched", "pick up", "Restore the grant", "Nested & numbered"):
        assert words in text
    assert "the report (https://example.org/report)" in text
    assert "A quote from a <resident>." in text
    assert "**" not in text and "##" not in text and "](" not in text
