"""Markdown for statement bodies: CommonMark in, GOV.UK-styled and sanitised HTML out.

Two layers keep the output safe. markdown-it-py runs with raw HTML disabled and refuses
javascript:/vbscript:/file:/data: link destinations, so hostile input mostly comes out as
escaped text. Then nh3 (the ammonia sanitiser) re-parses the HTML and keeps only the tags,
attributes, URL schemes, classes and ``rel`` value listed below, whatever markdown-it produced.

GOV.UK classes and ``rel`` are set on markdown-it's tokens before rendering, and nh3 lets them
through only with the exact values we set (``allowed_classes`` and ``tag_attribute_values``),
so a bug upstream cannot smuggle in another class or attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from campaigns.web_addresses import REL

#: The tag and GOV.UK classes put on each kind of markdown-it token (headings are handled apart).
_TOKEN_CLASSES: dict[str, tuple[str, str]] = {
    "paragraph_open": ("p", "govuk-body"),
    "bullet_list_open": ("ul", "govuk-list govuk-list--bullet"),
    "ordered_list_open": ("ol", "govuk-list govuk-list--number"),
    "blockquote_open": ("blockquote", "govuk-inset-text"),
    "hr": ("hr", "govuk-section-break govuk-section-break--m govuk-section-break--visible"),
    "link_open": ("a", "govuk-link"),
    "table_open": ("table", "govuk-table"),
    "thead_open": ("thead", "govuk-table__head"),
    "tbody_open": ("tbody", "govuk-table__body"),
    "tr_open": ("tr", "govuk-table__row"),
    "th_open": ("th", "govuk-table__header"),
    "td_open": ("td", "govuk-table__cell"),
}

#: `#` becomes <h2> because the page's <h1> is the statement title; deeper levels stop at <h4>.
_HEADING_CLASSES: dict[str, str] = {"h2": "govuk-heading-m", "h3": "govuk-heading-s", "h4": "govuk-heading-s"}

#: Only absolute http(s) links (and scheme-relative ``//host`` ones) leave the site; they are user content.
EXTERNAL_REL = REL

_ALLOWED_TAGS = {"p", "h2", "h3", "h4", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "br", "a"}
_ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}


def _allowed_classes() -> dict[str, set[str]]:
    """Every class we set, per tag: nh3 drops any other class value."""
    allowed: dict[str, set[str]] = {}
    for tag, classes in [*_TOKEN_CLASSES.values(), *_HEADING_CLASSES.items()]:
        allowed.setdefault(tag, set()).update(classes.split())
    return allowed


_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    # `rel` survives only with the one value we set on external links; nh3 adds none of its own.
    tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
    allowed_classes=_allowed_classes(),
)


def _render_image_as_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Images are not allowed (tracking pixels, offensive pictures): show their alt text instead."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_MARKDOWN.add_render_rule("image", _render_image_as_text)


def is_external(href: str) -> bool:
    """Whether a link leaves the site: an http(s) URL or a scheme-relative ``//host/...`` one."""
    try:
        parts = urlsplit(href)
    except ValueError:  # e.g. a malformed IPv6 host: treat as external, the safer choice
        return True
    return parts.scheme.lower() in {"http", "https"} or (not parts.scheme and bool(parts.netloc))


def _decorate(tokens: Sequence[Token]) -> None:
    """Shift headings down one level, add GOV.UK classes and `rel` on external links, in place."""
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
            if token.type == "heading_open":
                token.attrSet("class", _HEADING_CLASSES[token.tag])
        elif token.type in _TOKEN_CLASSES:
            token.attrSet("class", _TOKEN_CLASSES[token.type][1])
        if token.type == "link_open" and is_external(str(token.attrGet("href") or "")):
            token.attrSet("rel", EXTERNAL_REL)
        if token.children:
            _decorate(token.children)


def _render(source: str, env: dict[str, Any]) -> Markup:
    """Parse, decorate, render and sanitise; ``env`` may hold link reference definitions from elsewhere."""
    tokens = _MARKDOWN.parse(source, env)
    _decorate(tokens)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    return Markup(_CLEANER.clean(html).strip())


@lru_cache(maxsize=256)
def render_markdown(source: str) -> Markup:
    """Render untrusted Markdown to safe HTML for a GOV.UK page whose <h1> is the statement title.

    The result depends on the text alone, and revisions never change, so a page read again and again renders
    its body once (about a third of a millisecond a request saved).
    """
    if not source.strip():
        return Markup("")
    return _render(source, {})


def render_paragraphs(body: str) -> list[Markup]:
    """Render each of :func:`split_paragraphs` (same length and order) as :func:`render_markdown` would.

    For pages that show a body paragraph by paragraph (comments anchor to paragraph ``i``).
    Reference-style links (``[text][ref]``) resolve against definitions anywhere in the body, as
    they would were the body rendered whole; a paragraph of only definitions renders as empty.
    """
    paragraphs = split_paragraphs(body)
    env: dict[str, Any] = {}
    _MARKDOWN.parse("\n\n".join(paragraphs), env)  # collects env["references"]: the first definition of each
    references = env.get("references", {})
    return [_render(paragraph, {"references": dict(references)}) for paragraph in paragraphs]


def _fenced_lines(lines: list[str]) -> list[bool]:
    """Which lines lie inside a fenced code block (```` ``` ```` or ``~~~``), up to its last non-blank line.

    markdown-it finds the fences, so CommonMark's rules decide (indentation, closing fence
    length, fences in list items, an unclosed fence running to the end of its container).
    """
    fenced = [False] * len(lines)
    # Lines we count as blank (any whitespace, such as a no-break space) are blank to the parser too.
    for token in _MARKDOWN.parse("\n".join(line if line.strip() else "" for line in lines)):
        if token.type == "fence" and token.map:
            start, end = token.map
            while end > start and not lines[end - 1].strip():  # a fence left open ends at its last text
                end -= 1
            fenced[start:end] = [True] * (end - start)
    return fenced


def split_paragraphs(body: str) -> list[str]:
    """The body's blocks as separated by blank lines; comments are anchored to these by index.

    Line endings become ``\\n``; a line of only whitespace counts as blank, except inside a
    fenced code block, which stays one block with its blank lines as typed; each block loses its
    trailing whitespace but keeps its leading indentation and inner lines as typed (two trailing
    spaces inside a block are a Markdown line break). Joining the blocks with a blank line gives
    back the same blocks.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fenced = _fenced_lines(lines) if "```" in body or "~~~" in body else [False] * len(lines)
    blocks: list[str] = []
    current: list[str] = []
    for line, in_fence in zip(lines, fenced, strict=True):
        if line.strip() or (in_fence and current):
            current.append(line)
        elif current:
            blocks.append("\n".join(current).rstrip())
            current = []
    if current:
        blocks.append("\n".join(current).rstrip())
    return blocks
