"""Reading what comes back: delivery status notifications (RFC 3464), feedback reports (RFC 5965, ARF) and
emailed unsubscribe requests, from the raw bytes of one message in the bounce mailbox.

Parsing only: which message a report is about, and what to do about it, is `feedback`'s business.

A report names our message in up to three ways, all kept: the VERP return path it was sent back to (the
report's To, Delivered-To or X-Original-To, or an ARF's Original-Mail-From), the Message-ID in the copy of
our headers it quotes, and the recipient address. Status codes (RFC 3463) decide a bounce's kind: the
address is bad (5.1.x, 5.2.1 disabled mailbox, 5.4.4 no such domain) is a hard bounce; any other failure,
permanent or given up after retrying (a full mailbox, a message refused as spam, a server down for days),
is a soft one. `delayed` notices (still trying) and success notices are not bounces.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parseaddr

HARD_STATUSES = re.compile(r"5\.1\.\d{1,3}|5\.2\.1|5\.4\.4")
STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
#: An emailed unsubscribe request's subject, as our mailto: link writes it.
UNSUBSCRIBE = re.compile(r"\bunsubscribe\s+([A-Za-z0-9_.-]{20,})", re.IGNORECASE)
COMPLAINTS = {"abuse", "fraud", "virus", "other"}
#: Headers in which a mail server records the address a message was delivered to (our VERP address).
DELIVERED_TO = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")


class ReportKind(enum.StrEnum):
    HARD_BOUNCE = "hard_bounce"
    SOFT_BOUNCE = "soft_bounce"
    COMPLAINT = "complaint"

    @property
    def label(self) -> str:
        return {"hard_bounce": "Hard bounce", "soft_bounce": "Soft bounce", "complaint": "Complaint"}[self.value]


class Unreadable(ValueError):
    """A report we cannot read: it says it is one, but its parts or fields are missing or malformed."""


@dataclass(frozen=True)
class Report:
    """One recipient's bounce, or one complaint."""

    kind: ReportKind
    source: str
    recipient: str | None
    status: str | None
    diagnostic: str | None
    reported_by: str | None
    #: Addresses the report was sent to (a VERP return path names our message).
    return_paths: tuple[str, ...]
    #: The Message-ID of our message, from the copy of its headers the report quotes.
    original_message_id: str | None


@dataclass(frozen=True)
class UnsubscribeRequest:
    token: str
    source: str


@dataclass(frozen=True)
class Ignored:
    """Not a report and not a request: an auto-reply, a success notice, a "still trying" notice, spam."""

    reason: str


Reading = list[Report] | UnsubscribeRequest | Ignored


def _source(raw: bytes, message: Message) -> str:
    """What identifies this report, so reading the mailbox again records nothing twice."""
    found = (message.get("Message-ID") or "").strip()
    return found[:255] if found else "sha256:" + hashlib.sha256(raw).hexdigest()


def _address(value: str | None) -> str | None:
    """The address in `rfc822; someone@example.org` (RFC 3464 §2.3.2) or `<someone@example.org>`."""
    if not value:
        return None
    kind, _, address = str(value).partition(";")
    if not address:
        address = kind
    elif kind.strip().lower() != "rfc822":
        return None
    found = parseaddr(address.strip())[1]
    return found.lower() if "@" in found else None


def _return_paths(message: Message, *extra: str | None) -> tuple[str, ...]:
    values = [str(value) for name in DELIVERED_TO for value in message.get_all(name, [])]
    values += [value for value in extra if value]
    return tuple(address.lower() for _name, address in getaddresses(values) if "@" in address)


def _original_headers(report: Message) -> Message | None:
    """The copy of our message (message/rfc822) or of its headers (text/rfc822-headers) that a report quotes."""
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822" and part.is_multipart():
            return part.get_payload(0)  # type: ignore[return-value]
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            return message_from_bytes(payload, policy=compat32) if isinstance(payload, bytes) else None
    return None


def _message_id(original: Message | None) -> str | None:
    return (str(original.get("Message-ID") or "").strip() or None) if original is not None else None


def _part(report: Message, content_type: str) -> Message:
    for part in report.walk():
        if part.get_content_type() == content_type:
            return part
    raise Unreadable(f"it is a report but has no {content_type} part")


def _status_blocks(part: Message) -> list[Message]:
    blocks = part.get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        raise Unreadable("its delivery status has no per-recipient fields")
    return blocks  # type: ignore[return-value]


def _delivery_status(raw: bytes, message: Message) -> list[Report] | Ignored:
    blocks = _status_blocks(_part(message, "message/delivery-status"))
    per_message, recipients = blocks[0], blocks[1:]
    original_id = _message_id(_original_headers(message))
    reports: list[Report] = []
    for block in recipients:
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).strip().split(" ")[0]
        recipient = _address(block.get("Original-Recipient")) or _address(block.get("Final-Recipient"))
        if not action or recipient is None:
            raise Unreadable("a recipient's fields lack Action or Final-Recipient")
        if action != "failed":
            continue  # delayed (still trying), delivered, relayed, expanded: not a bounce
        if not STATUS.fullmatch(status):
            raise Unreadable(f"a failed recipient has no valid Status (RFC 3463): {status!r}")
        hard = HARD_STATUSES.fullmatch(status) is not None
        reports.append(
            Report(
                kind=ReportKind.HARD_BOUNCE if hard else ReportKind.SOFT_BOUNCE,
                source=_source(raw, message),
                recipient=recipient,
                status=status,
                diagnostic=" ".join(str(block.get("Diagnostic-Code", "")).split())[:1000] or None,
                reported_by=" ".join(str(per_message.get("Reporting-MTA", "")).split())[:255] or None,
                return_paths=_return_paths(message),
                original_message_id=original_id,
            )
        )
    return reports or Ignored("a delivery notice with no failed recipient (delayed, or delivered)")


def _feedback(raw: bytes, message: Message) -> list[Report] | Ignored:
    part = _part(message, "message/feedback-report")
    fields = part.get_payload(0) if part.is_multipart() else None
    if not isinstance(fields, Message) or not fields.get("Feedback-Type"):
        raise Unreadable("its feedback report has no Feedback-Type")
    feedback_type = str(fields["Feedback-Type"]).strip().lower()
    if feedback_type not in COMPLAINTS:
        return Ignored(f"a feedback report of type {feedback_type!r}, not a complaint")
    original = _original_headers(message)
    recipient = _address(fields.get("Original-Rcpt-To"))
    if recipient is None and original is not None:
        recipient = _address(original.get("To"))
    return [
        Report(
            kind=ReportKind.COMPLAINT,
            source=_source(raw, message),
            recipient=recipient,
            status=None,
            diagnostic=f"Feedback-Type: {feedback_type}",
            reported_by=" ".join(str(fields.get("User-Agent", "")).split())[:255] or None,
            return_paths=_return_paths(message, fields.get("Original-Mail-From")),
            original_message_id=_message_id(original),
        )
    ]


def read(raw: bytes) -> Reading:
    """What one message in the bounce mailbox says. Raises Unreadable for a report we cannot make sense of."""
    try:
        message = message_from_bytes(raw, policy=compat32)
    except Exception as error:  # the parser is lenient, but a report must never stop the whole mailbox
        raise Unreadable(f"it cannot be parsed: {error}") from error
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type", "") or "").lower()
        try:
            if report_type == "delivery-status":
                return _delivery_status(raw, message)
            if report_type == "feedback-report":
                return _feedback(raw, message)
        except (TypeError, IndexError, AttributeError, LookupError) as error:
            raise Unreadable(f"its structure is broken: {type(error).__name__}") from error
        raise Unreadable(f"a report of an unknown type {report_type!r}")
    try:
        subject = str(make_header(decode_header(str(message.get("Subject", "")))))
    except (ValueError, LookupError, UnicodeError):
        subject = str(message.get("Subject", ""))
    found = UNSUBSCRIBE.search(" ".join(subject.split()))
    if found:
        return UnsubscribeRequest(found.group(1), _source(raw, message))
    return Ignored("not a bounce, a complaint or an unsubscribe request")
