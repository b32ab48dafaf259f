"""A statement's Markdown body as ReportLab flowables, so the PDF pack shows headings, lists and emphasis
as the web page does instead of the Markdown's asterisks and hashes."""

from __future__ import annotations

from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import ListFlowable, ListItem, Paragraph

_PARSER = MarkdownIt("commonmark", {"html": False})

#: Inline tokens and the ReportLab paragraph markup for them (a small, safe subset of HTML).
_INLINE = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "softbreak": " ",
    "hardbreak": "<br/>",
}


def _inline(token: Token) -> str:
    """ReportLab markup for an inline token's children; links keep their text and show their address."""
    parts: list[str] = []
    href = ""
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(escape(child.content, quote=False))
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close" and href:
            parts.append(f" ({escape(href, quote=False)})")
            href = ""
        elif child.type == "image":
            parts.append(escape(child.content, quote=False))
        else:
            parts.append(_INLINE.get(child.type, ""))
    return "".join(parts)


def flowables(source: str, styles: dict[str, ParagraphStyle]) -> list[Any]:
    """Paragraphs, headings (``h3``), quotes and bulleted or numbered lists of ``source``."""
    story: list[Any] = []
    # Each open list collects its items' paragraphs until it closes.
    lists: list[tuple[str, list[list[Any]]]] = []
    style = styles["body"]
    for token in _PARSER.parse(source):
        if token.type == "heading_open":
            style = styles["h3"]
        elif token.type == "heading_close":
            style = styles["body"]
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(("bullet" if token.type == "bullet_list_open" else "1", []))
        elif token.type == "list_item_open":
            lists[-1][1].append([])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kind, items = lists.pop()
            # reportlab takes ListItems, which its type stubs do not list.
            flow = ListFlowable([ListItem(item) for item in items], bulletType=kind, leftIndent=14)  # type: ignore[misc]
            (lists[-1][1][-1] if lists else story).append(flow)
        elif token.type in ("inline", "fence", "code_block"):
            text = _inline(token) if token.type == "inline" else escape(token.content).replace("\n", "<br/>")
            paragraph = Paragraph(text, style)
            (lists[-1][1][-1] if lists else story).append(paragraph)
    return story
