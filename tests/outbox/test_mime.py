"""Building a message for the wire, and the strict checker the other tests rely on (which must catch the bug)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.outbox import mime
from tests.support.wire import NotOnTheWire, check_message, header, unsubscribe_link

LINK = "https://commonground.example.org/updates/unsubscribe/" + "eyJlIjoicmVhZGVyMUBleGFtcGxlLm9yZyJ9." * 3
#: What Flask-Mail and the standard library's folding made of List-Unsubscribe before: issue 12.
ENCODED = (
    b"List-Unsubscribe: =?utf-8?q?=3Chttp=3A//127=2E0=2E0=2E1=3A5000/updates/unsub?=\r\n"
    b" =?utf-8?q?scribe/eyJlIjoicmVhZGVyMUBleGFtcGxlLm9yZyIsInMiOjEsIm0iOjF9=3E?=\r\n"
)


def build(**changes):
    values = {
        "sender": "Common Ground <no-reply@commonground.example.org>",
        "recipient": "reader@example.org",
        "subject": "News for ‘Northshire Food Bank’",
        "text": "Dear Zoë,\n\nThank you.\n",
        "html": "<p>Dear Zoë,</p><p>Thank you.</p>",
        "message_id": "<123.456@commonground.example.org>",
        "date": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "headers": {"List-Unsubscribe": f"<{LINK}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    }
    values.update(changes)
    return mime.build(**values)


def test_a_long_list_unsubscribe_stays_raw_and_unbroken():
    raw = build()
    assert f"\r\nList-Unsubscribe: <{LINK}>\r\n".encode() in raw
    assert unsubscribe_link(raw) == (LINK, None)


def test_a_subject_with_curly_quotes_is_encoded_words_that_decode_to_it():
    raw = build()
    message = check_message(raw)
    assert header(raw, "Subject").startswith("=?utf-8?")
    assert message["Subject"] == "News for ‘Northshire Food Bank’"


def test_folding_happens_only_before_whitespace_and_keeps_lines_short_where_it_can():
    folded = mime.fold("X-Note", "word " * 40)
    lines = folded.split("\r\n")[:-1]
    assert all(len(line) <= 78 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(lines).replace("  ", " ") == "X-Note: " + ("word " * 40).strip()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"headers": {"X-Evil": "a\r\nBcc: victim@example.org"}}, "line break"),
        ({"subject": "x" * 1000}, "longer than 998"),
        ({"recipient": "jösé@example.org"}, "ascii"),
    ],
)
def test_a_message_that_cannot_go_on_the_wire_is_refused(changes, reason):
    with pytest.raises(ValueError, match=reason):
        build(**changes)


def test_the_checker_finds_an_encoded_list_unsubscribe():
    raw = build(headers={})
    broken = raw.replace(b"\r\nMIME-Version:", b"\r\n" + ENCODED.rstrip(b"\r\n") + b"\r\nMIME-Version:", 1)
    with pytest.raises(NotOnTheWire, match="RFC 2047"):
        check_message(broken, update=True)


@pytest.mark.parametrize(
    ("find", "replace", "problem"),
    [
        (b"Auto-Submitted: auto-generated\r\n", b"", "no auto-submitted"),
        (b"\r\n\r\n", b"\n\n", "bare CR or LF"),
        (b"Content-Transfer-Encoding: quoted-printable", b"Content-Transfer-Encoding: 8bit", "re-encode"),
        (b"Message-ID: <123.456@commonground.example.org>", b"Message-ID: 123.456", "Message-ID"),
        (b"List-Unsubscribe: <", b"List-Unsubscribe: ", "RFC 2369"),
    ],
)
def test_the_checker_refuses_what_a_strict_receiver_would(find, replace, problem):
    raw = build()
    assert find in raw
    with pytest.raises(NotOnTheWire, match=problem):
        check_message(raw.replace(find, replace, 1), update=True)


def test_a_message_without_html_is_one_plain_text_part():
    message = check_message(build(html=None))
    assert message.get_content_type() == "text/plain"
    assert message.get_content().splitlines() == ["Dear Zoë,", "", "Thank you."]
