"""Strict checks of a message in its raw bytes, as a receiving server and a mail program read it.

A header decoded by a lenient parser hides an encoding bug (an RFC 2047-encoded List-Unsubscribe decodes to a
fine-looking link, yet no mail program can use it), so these checks read the bytes first, then parse them with
the standard library's parser set to raise on every defect.
"""

from __future__ import annotations

import re
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import strict
from email.utils import parsedate_to_datetime

FIELD_NAME = re.compile(rb"[!-9;-~]+")
#: RFC 5322 §3.3, with the day of the week and seconds as we always write them.
DATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d\d:\d\d:\d\d [+-]\d{4}"
)
#: RFC 5322 §3.6.4 msg-id with dot-atom-text on both sides.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
MESSAGE_ID = re.compile(rf"<{ATOM}@{ATOM}>")
#: RFC 2369 and RFC 8058: an angle-bracketed http(s) URL, then optionally a mailto:, comma-separated.
LIST_UNSUBSCRIBE = re.compile(r"<(https?://[^\s<>]+)>(?:,[ \t]*<(mailto:[^\s<>]+)>)?")
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
#: Fields whose value may carry encoded-words: text a person reads (RFC 2047 §5).
MAY_BE_ENCODED = {"subject", "from", "to", "list-id"}
ONCE = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "list-id",
}


class NotOnTheWire(AssertionError):
    """The raw message breaks a rule of RFC 5322, RFC 2045-2047, RFC 2369, RFC 3834 or RFC 8058."""


def raw_fields(raw: bytes) -> list[tuple[str, str, list[bytes]]]:
    """Each header field as (lower-case name, unfolded value, its raw lines), in order."""
    head, separator, _body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise NotOnTheWire("no blank line (CRLF CRLF) between the header and the body")
    fields: list[tuple[str, str, list[bytes]]] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not fields:
                raise NotOnTheWire("the header starts with a continuation line")
            name, value, lines = fields[-1]
            fields[-1] = (name, value + line.decode("ascii"), [*lines, line])
            continue
        name, colon, value = line.partition(b":")
        if not colon or not FIELD_NAME.fullmatch(name):
            raise NotOnTheWire(f"not a header field: {line!r}")
        fields.append((name.decode("ascii").lower(), value.decode("ascii").strip(" \t"), [line]))
    return [(name, value.strip(), lines) for name, value, lines in fields]


def _check_lines(raw: bytes) -> None:
    if not raw.isascii():
        raise NotOnTheWire("the message is not 7-bit: it needs no 8BITMIME, so it must have no byte over 127")
    if re.search(rb"\r(?!\n)|(?<!\r)\n", raw):
        raise NotOnTheWire("a bare CR or LF: every line must end with CRLF")
    for line in raw.split(b"\r\n"):
        if len(line) > 998:
            raise NotOnTheWire(f"a line of {len(line)} characters (RFC 5322 allows 998): {line[:80]!r}...")


def _check_fields(fields: list[tuple[str, str, list[bytes]]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value, lines in fields:
        if name in ONCE and name in values:
            raise NotOnTheWire(f"{name} appears more than once")
        values[name] = value
        if ENCODED_WORD.search(value) and name not in MAY_BE_ENCODED:
            raise NotOnTheWire(f"{name} is RFC 2047-encoded, which RFC 2047 §5 does not allow there: {value!r}")
        for index, line in enumerate(lines):
            if index and line[:1] not in (b" ", b"\t"):
                raise NotOnTheWire(f"{name} is folded other than before whitespace")
            words = line.split()[1:] if index == 0 else line.split()
            # Over 78 characters only for one word that cannot be broken (a long URL).
            if len(line) > 78 and len(words) > 1:
                raise NotOnTheWire(f"{name} has a line of {len(line)} characters that could be folded: {line!r}")
    for name in ("from", "to", "subject", "date", "message-id", "mime-version", "auto-submitted"):
        if name not in values:
            raise NotOnTheWire(f"no {name} header")
    if not DATE.fullmatch(values["date"]):
        raise NotOnTheWire(f"Date is not an RFC 5322 date-time: {values['date']!r}")
    parsedate_to_datetime(values["date"])
    if not MESSAGE_ID.fullmatch(values["message-id"]):
        raise NotOnTheWire(f"Message-ID is not <left@right>: {values['message-id']!r}")
    if values["mime-version"] != "1.0":
        raise NotOnTheWire(f"MIME-Version is {values['mime-version']!r}")
    if values["auto-submitted"] != "auto-generated":
        raise NotOnTheWire(f"Auto-Submitted is {values['auto-submitted']!r}")
    if "subject" in values:
        # Every encoded-word must decode (a broken one shows as garbage in the subject line).
        decode_header(values["subject"])
    return values


def _check_parts(message: EmailMessage) -> None:
    for name, value in message.items():
        # The parser raises on defects in the structure; a header's own are noted on it when it is parsed.
        if getattr(value, "defects", None):
            raise NotOnTheWire(f"{name}: {value.defects}")
    kinds = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    if "text/html" in kinds:
        if message.get_content_type() != "multipart/alternative" or kinds != ["text/plain", "text/html"]:
            raise NotOnTheWire(f"HTML must come as multipart/alternative after a plain-text part, not {kinds}")
    elif kinds != ["text/plain"]:
        raise NotOnTheWire(f"a message without HTML must be text/plain, not {kinds}")
    for part in message.walk():
        if part.is_multipart():
            continue
        encoding = part.get("Content-Transfer-Encoding", "7bit").lower()
        if encoding not in ("7bit", "quoted-printable", "base64"):
            raise NotOnTheWire(f"{part.get_content_type()} is {encoding}: a relay would have to re-encode it")
        part.get_content()
        if part.defects:
            raise NotOnTheWire(f"{part.get_content_type()}: {part.defects}")


def check_message(raw: bytes, *, update: bool = False) -> EmailMessage:
    """Every check; returns the message parsed strictly. With `update`, the one-click unsubscribe headers too."""
    _check_lines(raw)
    values = _check_fields(raw_fields(raw))
    message = BytesParser(policy=strict).parsebytes(raw)
    if message.defects:
        raise NotOnTheWire(f"defects: {message.defects}")
    _check_parts(message)  # type: ignore[arg-type]
    if update:
        unsubscribe_link(raw)
        if values.get("list-unsubscribe-post") != "List-Unsubscribe=One-Click":
            raise NotOnTheWire(f"List-Unsubscribe-Post is {values.get('list-unsubscribe-post')!r}")
        if not re.fullmatch(r"[^<>]*<[A-Za-z0-9.-]+>", values.get("list-id", "")):
            raise NotOnTheWire(f"List-Id is not RFC 2919: {values.get('list-id')!r}")
    return message  # type: ignore[return-value]


def header(raw: bytes, name: str) -> str | None:
    """One header's unfolded value, read from the raw bytes (no decoding)."""
    return next((value for field, value, _lines in raw_fields(raw) if field == name.lower()), None)


def unsubscribe_link(raw: bytes) -> tuple[str, str | None]:
    """The https (or, in tests, http) link and the mailto: of List-Unsubscribe, read from the raw bytes."""
    value = header(raw, "List-Unsubscribe")
    if value is None:
        raise NotOnTheWire("no List-Unsubscribe header")
    found = LIST_UNSUBSCRIBE.fullmatch(value)
    if found is None:
        raise NotOnTheWire(f"List-Unsubscribe is not <URL>[, <mailto:...>] as RFC 2369 asks: {value!r}")
    return found.group(1), found.group(2)
