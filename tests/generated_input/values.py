"""Hostile values, and the forms a page offers: what the generated-input test sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

HUGE_NUMBER = "99999999999999999999999"

#: Path segments nobody should be able to turn into a 500.
HOSTILE_SEGMENTS = [
    "0",
    "-1",
    HUGE_NUMBER,
    "١٢",  # digits, but not ASCII ones
    "²",
    "café",
    "\u202egnp.exe",
    "😀",
    "a" * 3000,
    "..",
    "../../etc/passwd",
    "..\\..\\windows",
    "a\x00b",
    "\x00",
    "' OR '1'='1' --",
    "1; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "%",
    "%00",
    " ",
    "\t\n",
    "{{7*7}}",
    "NaN",
    "1e309",
]

#: Field values: the segments above, and more that forms in particular get wrong.
HOSTILE_VALUES = [
    *HOSTILE_SEGMENTS,
    "",
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://",
    "http://[::1",
    "https://user:pass@evil.example.org/",
    '"><img src=x onerror=alert(1)>',
    "[link](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "\r\nBcc: victim@example.org",
    "someone@example.org\r\nBcc: victim@example.org",
    "a@b",
    "@",
    "x" * 320 + "@example.org",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "-99999999999999999999999",
    "0x1F",
    "\ufeff",
    "\u200b",
    "ﬁ",
    "İstanbul",
    "\x7f",
    "\x1b[31m",
    "y",
    "on",
    "true",
]

#: Query parameters some page reads, and names no page reads.
QUERY_NAMES = [
    "next",
    "after",
    "before",
    "q",
    "kind",
    "region",
    "status",
    "topic",
    "show",
    "revision",
    "paragraph",
    "key",
    "into",
    "page",
    "from",
    "to",
    "format",
]

#: Form fields no form has, sent alongside the real ones.
EXTRA_NAMES = ["id", "user_id", "organisation_id", "is_platform_admin", "role", "status", "version", "next", "x"]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
control = st.text(st.characters(max_codepoint=0x9F, exclude_categories=("Cs",)), min_size=1, max_size=20)
#: Near the largest field a request may carry (MAX_FORM_MEMORY_SIZE), and over it.
huge = st.sampled_from(["é" * 5_000, "x" * 60_000, "x" * 499_000, "x" * 600_000])
#: Values a form accepts, so that some requests get past validation to the rules behind it.
BENIGN = [
    "A new title",
    "Some words.\n\nAnd a second paragraph.",
    "someone.new@example.org",
    "https://www.example.org/page",
    "Chief Executive",
    "1",
    "2",
    "12",
    "2026",
    "y",
]
numbers = st.integers(min_value=-(10**25), max_value=10**25).map(str)
hostile_value = st.one_of(st.sampled_from(HOSTILE_VALUES), text, control, numbers)
#: Form fields also get huge values (a query string of megabytes only tests the test client).
hostile_field = st.one_of(st.sampled_from(BENIGN), st.sampled_from(HOSTILE_VALUES), text, control, numbers, huge)
hostile_segment = st.one_of(st.sampled_from(HOSTILE_SEGMENTS), text.filter(bool), numbers)

#: Files for file fields: empty, a PDF, a document that is really a zip of nonsense, random bytes.
FILES = [
    ("reply.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"),
    ("empty.pdf", b""),
    ("letter.odt", b"PK\x03\x04" + b"\x00" * 60),
    ("../../evil.exe", b"MZ\x90\x00"),
    ("<script>.docx", b"PK\x05\x06" + b"\x00" * 18),
    ("\x00.pdf", b"%PDF-"),
    ("é" * 300 + ".pdf", b"%PDF-1.4\n%%EOF"),
]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, textarea, hidden, select, radio, checkbox, file, ...
    value: str = ""
    options: tuple[str, ...] = ()
    checked: bool = False


@dataclass
class FormSpec:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def filled(self) -> dict[str, list[str]]:
        """The defaults, with every empty text field and every unchosen question given a plausible answer."""
        body = self.defaults()
        for f in self.fields:
            if f.kind in ("submit", "button", "file", "image", "reset", "checkbox", "hidden"):
                continue
            if not any(body.get(f.name, [])):
                body[f.name] = [plausible(f)]
        return body

    def defaults(self) -> dict[str, list[str]]:
        """What a browser would send if the person pressed the button without touching anything."""
        body: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("radio", "checkbox") and not f.checked:
                continue
            if f.kind in ("submit", "button", "file", "image", "reset"):
                continue
            value = f.value or (f.options[0] if f.kind == "select" and f.options else f.value)
            body.setdefault(f.name, []).append(value)
        return body

    def names(self) -> list[str]:
        return sorted({f.name for f in self.fields})

    def options(self, name: str) -> list[str]:
        return sorted({o for f in self.fields if f.name == name for o in (*f.options, f.value) if o})


class FormParser(HTMLParser):
    """The forms on a page: where each goes, and its fields with the values a browser would send."""

    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[FormSpec] = []
        self.links: list[str] = []
        self._select: list[str] | None = None
        self._select_name = ""
        self._selected = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        if tag == "option" and self._select is not None:
            self._select.append(a.get("value", ""))
            if "selected" in a:
                self._selected = a.get("value", "")
            return
        if tag == "form":
            self.forms.append(FormSpec(a.get("action") or self.page_path, (a.get("method") or "get").upper()))
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = a.get("type", "text").lower()
            fields.append(Field(a["name"], kind, a.get("value", ""), (a.get("value", ""),), "checked" in a))
        elif tag == "select":
            self._select, self._select_name, self._selected = [], a["name"], ""
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            self.forms[-1].fields.append(
                Field(self._select_name, "select", self._selected, tuple(self._select), bool(self._selected))
            )
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            self.forms[-1].fields.append(Field(self._textarea, "textarea", self._text.removeprefix("\n")))
            self._textarea = None


def parse_page(path: str, html: str) -> FormParser:
    parser = FormParser(path)
    parser.feed(html)
    parser.close()
    return parser


def plausible(f: Field) -> str:
    """A value a person might well type into an empty field of this name, so that a post can get through."""
    name = f.name
    if f.kind == "select" or f.kind == "radio":
        return next((o for o in f.options if o), "")
    for ending, value in (
        ("email", "someone.new@example.org"),
        ("website", "https://www.example.org/"),
        ("url", "https://www.example.org/"),
        ("-day", "12"),
        ("-month", "11"),
        ("-year", "2026"),
        ("time", "10:30"),
        ("password", "a long and unusual passphrase"),
        ("name", "Pat Newcomer"),
        ("title", "A new title"),
        ("subject", "A new subject"),
        ("number", "1234567"),
    ):
        if ending in name:
            return value
    return "Some words that say something.\n\nAnd a second paragraph."


def value_for(f: FormSpec | None, name: str) -> st.SearchStrategy[str]:
    """Anything for a field, but its own options (a valid choice) often enough to get past them."""
    options = f.options(name) if f else []
    if name.endswith(("-day", "-month", "-year")):
        return st.one_of(st.integers(-40, 10_000).map(str), hostile_value)
    if options:
        return st.one_of(st.sampled_from(options), hostile_field)
    return hostile_field
