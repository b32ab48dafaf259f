"""Statement bodies are Markdown from untrusted co-authors: only safe, GOV.UK-styled HTML comes out."""

import html as html_lib
import random
import re

import pytest
from markupsafe import Markup

from campaigns.statements.markdown import render_markdown, render_paragraphs, split_paragraphs

P = '<p class="govuk-body">'
LINK = 'class="govuk-link"'
EXTERNAL = 'rel="nofollow noopener ugc"'


@pytest.mark.parametrize("source", ["", "   ", "\n\n\t\n"])
def test_empty_or_blank_input_renders_an_empty_markup(source):
    html = render_markdown(source)
    assert isinstance(html, Markup)
    assert html == ""


def test_paragraphs_and_nested_emphasis_render_with_the_govuk_body_class():
    html = render_markdown("We ask *the council* to **fund _local_ groups**.\n\nSecond ***both*** paragraph.")
    assert html == (
        f"{P}We ask <em>the council</em> to <strong>fund <em>local</em> groups</strong>.</p>\n"
        f"{P}Second <em><strong>both</strong></em> paragraph.</p>"
    )


def test_headings_shift_down_a_level_because_the_page_h1_is_the_title():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\n###### Six")
    assert html == (
        '<h2 class="govuk-heading-m">One</h2>\n'
        '<h3 class="govuk-heading-s">Two</h3>\n'
        '<h4 class="govuk-heading-s">Three</h4>\n'
        '<h4 class="govuk-heading-s">Four</h4>\n'
        '<h4 class="govuk-heading-s">Six</h4>'
    )


def test_lists_get_govuk_list_classes_and_keep_their_start_number():
    html = render_markdown("- housing\n- care\n\n3. third\n4. fourth")
    assert html == (
        '<ul class="govuk-list govuk-list--bullet">\n<li>housing</li>\n<li>care</li>\n</ul>\n'
        '<ol start="3" class="govuk-list govuk-list--number">\n<li>third</li>\n<li>fourth</li>\n</ol>'
    )


def test_blockquotes_rules_code_and_line_breaks_are_kept():
    html = render_markdown("> Quoted\n\n---\n\nUse `<b>` here  \nnext line\n\n```html\n<script>x()</script>\n```")
    assert html == (
        f'<blockquote class="govuk-inset-text">\n{P}Quoted</p>\n</blockquote>\n'
        '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">\n'
        f"{P}Use <code>&lt;b&gt;</code> here<br>\nnext line</p>\n"
        "<pre><code>&lt;script&gt;x()&lt;/script&gt;\n</code></pre>"
    )


def test_tables_get_govuk_table_classes_and_lose_inline_styles():
    html = render_markdown("| Area | Funding |\n|:--|--:|\n| Leeds | £3m |")
    assert html == (
        '<table class="govuk-table">\n<thead class="govuk-table__head">\n<tr class="govuk-table__row">\n'
        '<th class="govuk-table__header">Area</th>\n<th class="govuk-table__header">Funding</th>\n'
        '</tr>\n</thead>\n<tbody class="govuk-table__body">\n<tr class="govuk-table__row">\n'
        '<td class="govuk-table__cell">Leeds</td>\n<td class="govuk-table__cell">£3m</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


def test_script_tags_are_shown_as_text_not_run():
    assert render_markdown("<script>alert('x')</script>") == f"{P}&lt;script&gt;alert('x')&lt;/script&gt;</p>"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<img src=x onerror=alert(1)>", f"{P}&lt;img src=x onerror=alert(1)&gt;</p>"),
        ('<p style="color:red" onclick="x()">hi</p>', f'{P}&lt;p style="color:red" onclick="x()"&gt;hi&lt;/p&gt;</p>'),
        ("<iframe src=//evil></iframe>", f"{P}&lt;iframe src=//evil&gt;&lt;/iframe&gt;</p>"),
        ("<div>\n*block html*\n</div>", f"{P}&lt;div&gt;\n<em>block html</em>\n&lt;/div&gt;</p>"),
        ("<!-- comment -->", f"{P}&lt;!-- comment --&gt;</p>"),
    ],
)
def test_raw_html_is_shown_as_text(source, expected):
    assert render_markdown(source) == expected


def test_images_render_as_their_alt_text_never_an_img():
    html = render_markdown('![A *chart* <b>](https://example.org/x.png "t") and [![badge](/b.png)](/about)')
    assert html == f'{P}A chart &lt;b&gt; and <a href="/about" {LINK}>badge</a></p>'
    assert "<img" not in render_markdown("![x](javascript:alert(1)) ![y](data:image/png;base64,AAAA)")


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def _scheme_as_a_browser_reads_it(href: str) -> str | None:
    """Browsers drop tabs and newlines anywhere in a URL and ignore leading spaces before the scheme."""
    cleaned = re.sub(r"[\t\n\r]", "", html_lib.unescape(href)).strip().lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


DANGEROUS_DESTINATIONS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)",
    "java&Tab;script:alert(1)",
    "%6Aavascript:alert(1)",
    "<javascript:alert(1)>",
    " javascript:alert(1)",
    "\\javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/png;base64,AAAA",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("destination", DANGEROUS_DESTINATIONS)
def test_dangerous_link_destinations_never_become_a_dangerous_href(destination):
    for source in (f"[click]({destination})", f"[click][r]\n\n[r]: {destination}", f"<{destination}>"):
        html = render_markdown(source)
        assert "<img" not in html
        for href in _hrefs(html):
            assert _scheme_as_a_browser_reads_it(href) in {None, "http", "https", "mailto"}, source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[x](javascript:alert(1))", f"{P}[x](javascript:alert(1))</p>"),
        ("[x](JaVaScRiPt:alert(1))", f"{P}[x](JaVaScRiPt:alert(1))</p>"),
        ("[x](&#106;avascript:alert(1))", f"{P}[x](javascript:alert(1))</p>"),
        ("<javascript:alert(1)>", f"{P}&lt;javascript:alert(1)&gt;</p>"),
        ("[x](data:text/html,hi)", f"{P}[x](data:text/html,hi)</p>"),
        # Not a scheme at all once percent-encoded: a harmless relative link.
        ("[x](java&#x09;script:alert(1))", f'{P}<a href="java%09script:alert(1)" {LINK}>x</a></p>'),
    ],
)
def test_a_refused_link_is_shown_as_its_source_text(source, expected):
    assert render_markdown(source) == expected


def test_a_data_image_link_that_markdown_allows_loses_its_href_in_the_sanitiser():
    assert render_markdown("[img](data:image/png;base64,AAAA)") == f"{P}<a {LINK}>img</a></p>"


def test_other_schemes_lose_their_href():
    assert render_markdown("[ftp](ftp://example.org/f) [tel](tel:123)") == f"{P}<a {LINK}>ftp</a> <a {LINK}>tel</a></p>"


def test_only_external_links_get_rel_nofollow_noopener_ugc():
    html = render_markdown(
        "[a](https://example.org/x?y=1&z=2) [b](HTTP://EXAMPLE.ORG) [c](//example.org) "
        "[d](/statements/7) [e](#asks) [f](mailto:team@example.org) [g](other-page)"
    )
    assert html == (
        f'{P}<a href="https://example.org/x?y=1&amp;z=2" {LINK} {EXTERNAL}>a</a> '
        f'<a href="HTTP://EXAMPLE.ORG" {LINK} {EXTERNAL}>b</a> '
        f'<a href="//example.org" {LINK} {EXTERNAL}>c</a> '
        f'<a href="/statements/7" {LINK}>d</a> '
        f'<a href="#asks" {LINK}>e</a> '
        f'<a href="mailto:team@example.org" {LINK}>f</a> '
        f'<a href="other-page" {LINK}>g</a></p>'
    )


def test_autolinks_become_links_and_external_ones_get_rel():
    html = render_markdown("<https://example.org/a> <team@example.org>")
    assert html == (
        f'{P}<a href="https://example.org/a" {LINK} {EXTERNAL}>https://example.org/a</a> '
        f'<a href="mailto:team@example.org" {LINK}>team@example.org</a></p>'
    )


def test_link_titles_with_quotes_stay_inside_the_attribute():
    html = render_markdown('[x](https://example.org "say \\"hi\\" onmouseover=\'alert(1)\'")')
    assert html == (
        f'{P}<a href="https://example.org" title="say &quot;hi&quot; onmouseover=\'alert(1)\'" {LINK} {EXTERNAL}>'
        "x</a></p>"
    )


def test_a_quote_in_a_link_destination_cannot_break_out_of_href():
    html = render_markdown('[x](https://example.org/"onmouseover="alert(1))')
    assert html == f'{P}<a href="https://example.org/%22onmouseover=%22alert(1)" {LINK} {EXTERNAL}>x</a></p>'


def test_split_paragraphs_separates_blocks_on_blank_lines():
    body = "First line\r\nsame paragraph  \r\n\r\n\r\n  \t\r\nSecond\t \n\n    indented code\n\n\n"
    assert split_paragraphs(body) == ["First line\nsame paragraph", "Second", "    indented code"]


def test_split_paragraphs_keeps_hard_line_breaks_inside_a_block_and_handles_empty_bodies():
    assert split_paragraphs("a  \nb\rc") == ["a  \nb\nc"]
    assert split_paragraphs("") == []
    assert split_paragraphs(" \n \r\n") == []


CODE = "```python\nfirst = 1\n\n\n    \nlast = 2\n```"


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_split_paragraphs_keeps_a_fenced_code_block_whole_with_its_blank_lines_as_typed(fence):
    code = CODE.replace("```", fence)
    body = f"Before.\r\n\r\n{code.replace(chr(10), chr(13) + chr(10))}\r\n\r\n\r\nAfter."
    assert split_paragraphs(body) == ["Before.", code, "After."]


def test_split_paragraphs_follows_commonmark_fences():
    # A fence can interrupt a paragraph; it closes only with at least as many of the same character.
    assert split_paragraphs("Text\n```\na\n\nb\n```\n\nNext") == ["Text\n```\na\n\nb\n```", "Next"]
    assert split_paragraphs("````\na\n\n```\n\nb\n````\n\nNext") == ["````\na\n\n```\n\nb\n````", "Next"]
    assert split_paragraphs("~~~\na\n\n```\n\nb\n~~~") == ["~~~\na\n\n```\n\nb\n~~~"]
    # Indented four spaces it is code already, not a fence; inline backticks are not a fence either.
    assert split_paragraphs("    ```\n    a\n\n    b") == ["    ```\n    a", "    b"]
    assert split_paragraphs("Use ``` here\n\nand there") == ["Use ``` here", "and there"]
    # In a list item; and a fence left open runs to the end, losing only its trailing blank lines.
    assert split_paragraphs("- item\n\n  ```\n  a\n\n  b\n  ```\n\nNext") == [
        "- item",
        "  ```\n  a\n\n  b\n  ```",
        "Next",
    ]
    assert split_paragraphs("Intro\n\n```\nopen\n\nstill code\n\n \n") == ["Intro", "```\nopen\n\nstill code"]


def test_split_paragraphs_gives_back_the_same_blocks_when_they_are_joined_with_a_blank_line():
    lines = [
        "text",
        "more  ",
        "```",
        "```py",
        "~~~",
        "````",
        "",
        "",
        "  ",
        "\t",
        "\u00a0",
        "\x0c",
        "- item",
        "  indented",
    ]
    lines += ["    code", "> quote", ">", "1. one", "   ```", "    ```", "  - ```", "[r]: /x", "# h", "| a |", "|---|"]
    for seed in range(3000):
        rng = random.Random(seed)
        body = "\n".join(rng.choice(lines) for _ in range(rng.randint(0, 14)))
        blocks = split_paragraphs(body)
        assert split_paragraphs("\n\n".join(blocks)) == blocks, body
        assert all(block and block == block.rstrip() for block in blocks), body
        assert "".join("\n\n".join(blocks).split()) == "".join(body.split()), body  # no text lost


def test_render_paragraphs_renders_each_paragraph_in_the_order_comments_anchor_to():
    body = "# Our case\n\nWe ask *the council*.\n\n- housing\n- care\n\n> Quoted"
    assert render_paragraphs(body) == [render_markdown(paragraph) for paragraph in split_paragraphs(body)]
    assert [type(html) for html in render_paragraphs(body)] == [Markup] * 4
    assert render_paragraphs("") == render_paragraphs(" \n\n\t") == []


def test_render_paragraphs_renders_a_fenced_code_block_with_blank_lines_as_one_pre():
    paragraphs = render_paragraphs(f"Before.\n\n{CODE}\n\nAfter.")
    assert paragraphs == [
        f"{P}Before.</p>",
        "<pre><code>first = 1\n\n\n    \nlast = 2\n</code></pre>",
        f"{P}After.</p>",
    ]


def test_render_paragraphs_resolves_reference_links_defined_in_other_paragraphs():
    body = (
        "See [the report][report] and [Leeds][].\n\n"
        '[report]: https://example.org/report "The report"\n[leeds]: /places/leeds\n\n'
        "Again: [the report][REPORT].\n\n"
        "[report]: https://example.org/ignored"  # as in CommonMark, the first definition of a label wins
    )
    report = f'<a href="https://example.org/report" title="The report" {LINK} {EXTERNAL}>'
    assert render_paragraphs(body) == [
        f'{P}See {report}the report</a> and <a href="/places/leeds" {LINK}>Leeds</a>.</p>',
        "",  # a paragraph of only definitions shows nothing
        f"{P}Again: {report}the report</a>.</p>",
        "",
    ]
    assert "".join(render_paragraphs(body)) == render_markdown(body).replace("\n", "")


@pytest.mark.parametrize("destination", DANGEROUS_DESTINATIONS)
def test_render_paragraphs_never_makes_a_dangerous_href_from_a_definition_elsewhere(destination):
    for html in render_paragraphs(f"[click][r]\n\n[r]: {destination}\n\n![img][r]"):
        assert "<img" not in html
        for href in _hrefs(html):
            assert _scheme_as_a_browser_reads_it(href) in {None, "http", "https", "mailto"}


def test_render_paragraphs_sanitises_like_render_markdown():
    body = "<script>alert('x')</script>\n\n[x](data:image/png;base64,AAAA)\n\n```\n<b>\n\n</b>\n```"
    assert render_paragraphs(body) == [
        f"{P}&lt;script&gt;alert('x')&lt;/script&gt;</p>",
        f"{P}<a {LINK}>x</a></p>",
        "<pre><code>&lt;b&gt;\n\n&lt;/b&gt;\n</code></pre>",
    ]
