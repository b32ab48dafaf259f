"""An outbox message as it goes on the wire: RFC 5322 headers and a MIME body, 7-bit clean.

Built with the standard library's email package, under a policy that writes ASCII header values as they are,
folded only at whitespace (RFC 5322 §2.2.3), and never as RFC 2047 encoded-words. Encoded-words are for text
a person reads, such as a subject with curly quotes; in `List-Unsubscribe` (RFC 2369) or `Message-ID` they
make the value unreadable to mail programs, which is what the standard library's own folding does to a long
value without spaces. Bodies are quoted-printable (or 7bit when plain ASCII with short lines), so a relay
never needs to re-encode them and a DKIM signature over them survives.
"""

from __future__ import annotations

import binascii
import re
import secrets
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage, MIMEPart
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

#: RFC 5322 §2.1.1: a line MUST be no longer than 998 characters and SHOULD be no longer than 78.
MAX_LINE = 998
FOLD_AT = 78
#: Fields a message has at most once (RFC 5322 §3.6, RFC 2045, RFC 2369, RFC 8058, RFC 3834).
_ONCE = frozenset(
    [
        "from",
        "sender",
        "reply-to",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "list-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "auto-submitted",
    ]
)
#: Each word with the whitespace before it.
_WORDS = re.compile(r"[ \t]*[^ \t]+|[ \t]+$")


class UnsendableMessage(ValueError):
    """The message cannot be sent as it is (a line break in a header, a word too long to fold)."""


def fold(name: str, value: str, linesep: str = "\r\n") -> str:
    """`name: value` folded before whitespace only, lines of at most 78 characters where the words allow."""
    if "\r" in value or "\n" in value:
        raise UnsendableMessage("a header contains a line break")
    lines = [f"{name}:"]
    for word in _WORDS.findall(value.strip(" \t")):
        if lines[-1] == f"{name}:":
            word = " " + word.lstrip(" \t")
        elif len(lines[-1]) + len(word) > FOLD_AT and word[0] in " \t":
            lines.append("")
        lines[-1] += word
    if any(len(line) > MAX_LINE for line in lines):
        raise UnsendableMessage(f"the {name} header has a word longer than {MAX_LINE} characters")
    return linesep.join(lines) + linesep


def encoded_words(value: str) -> str:
    """Text with non-ASCII characters as RFC 2047 encoded-words (each at most 75 characters), on one line."""
    return " ".join(Header(value, "utf-8").encode(linesep="\n").split())


class WirePolicy(EmailPolicy):
    """SMTP line endings; header values kept as plain strings, folded at whitespace only.

    Non-ASCII text (a subject with curly quotes) is stored as encoded-words, which are ASCII. The standard
    library's header objects are never made: besides folding without spaces into encoded-words, they cost
    more than the rest of the message to build.
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, str]:
        value = str(value)
        if "\r" in value or "\n" in value:
            raise UnsendableMessage("a header contains a line break")
        return (name, value if value.isascii() else encoded_words(value))

    def header_max_count(self, name: str) -> int | None:
        return 1 if name.lower() in _ONCE else None

    def header_fetch_parse(self, name: str, value: Any) -> str:
        return str(value)

    def fold(self, name: str, value: Any) -> str:
        return fold(name, str(value), self.linesep)

    def fold_binary(self, name: str, value: Any) -> bytes:
        return self.fold(name, value).encode("ascii")


WIRE = WirePolicy(linesep="\r\n", cte_type="7bit", max_line_length=FOLD_AT)


def address(raw: str) -> str:
    """One address as it may appear in a header and in the SMTP envelope: the domain in IDNA (ASCII).

    A local part with non-ASCII characters needs SMTPUTF8, which we do not speak: UnicodeError.
    """
    local, _, domain = raw.strip().rpartition("@")
    local.encode("ascii")  # raises UnicodeEncodeError
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def mailbox(raw: str) -> str:
    """`Name <address>` with the name quoted or encoded as RFC 5322 needs (a comma in a name, non-ASCII)."""
    name, addr = parseaddr(raw)
    return formataddr((name, address(addr)))


def _part(content: str, subtype: str) -> MIMEPart:
    part = MIMEPart(policy=WIRE)
    data = content.replace("\r\n", "\n").encode("utf-8")
    if data.isascii() and all(len(line) <= FOLD_AT for line in data.split(b"\n")):
        part["Content-Type"] = f'text/{subtype}; charset="us-ascii"'
        part["Content-Transfer-Encoding"] = "7bit"
        payload = data.decode("ascii")
    else:
        part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
        part["Content-Transfer-Encoding"] = "quoted-printable"
        # binascii's encoder is written in C: the body is the costly part of building a message.
        payload = binascii.b2a_qp(data, istext=True).decode("ascii")
    part.set_payload(payload if payload.endswith("\n") else payload + "\n")
    return part


def build(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    date: datetime,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The message as bytes with CRLF line endings: a plain-text part, and the HTML beside it when there is one."""
    message = EmailMessage(policy=WIRE)
    message["From"] = mailbox(sender)
    message["To"] = address(recipient)
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(date.astimezone(UTC) if date.tzinfo else date.replace(tzinfo=UTC))
    message["Message-ID"] = message_id
    # RFC 3834: made by a program, not typed to one person, so vacation responders must not answer it.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = value
    message["MIME-Version"] = "1.0"
    text_part = _part(text, "plain")
    if html is None:
        for name, value in text_part.items():
            message[name] = value
        message.set_payload(text_part.get_payload())
    else:
        message["Content-Type"] = f'multipart/alternative; boundary="=_cg_{secrets.token_hex(12)}"'
        message.set_payload([text_part, _part(html, "html")])
    return message.as_bytes()
