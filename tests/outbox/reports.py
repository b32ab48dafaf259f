"""Bounce and complaint messages as receiving servers write them, built from the raw bytes of what we sent.

A delivery status notification (RFC 3464) as Postfix writes one, and a feedback report (RFC 5965) as a
mailbox provider's feedback loop sends one, each quoting our message; and ways of breaking them.
"""

from __future__ import annotations

import mailbox
from pathlib import Path

from tests.support.smtp import Received


def _headers_of(raw: bytes) -> str:
    return raw.partition(b"\r\n\r\n")[0].decode("ascii").replace("\r\n", "\n")


def dsn(
    received: Received,
    *,
    status: str = "5.1.1",
    action: str = "failed",
    diagnostic: str = "smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown in virtual table",
    report_id: str = "<20261207090000.4F2A1C0123@mx.example.net>",
    to: str | None = None,
) -> bytes:
    """A bounce of `received`, sent back to its return path (the envelope sender), quoting its headers."""
    recipient = received.recipients[0]
    return_path = to or received.sender
    return f"""Return-Path: <>
Delivered-To: {return_path}
Received: by mx.example.net (Postfix) id 4F2A1C0123; Mon,  7 Dec 2026 09:00:00 +0000 (GMT)
Date: Mon,  7 Dec 2026 09:00:00 +0000 (GMT)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {return_path}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F2A1C0123.1765098000/mx.example.net"
Message-Id: {report_id}

This is a MIME-encapsulated message.

--4F2A1C0123.1765098000/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--4F2A1C0123.1765098000/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4F2A1C0123
Arrival-Date: Mon,  7 Dec 2026 08:59:58 +0000 (GMT)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: {diagnostic.format(recipient=recipient)}

--4F2A1C0123.1765098000/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{_headers_of(received.raw)}

--4F2A1C0123.1765098000/mx.example.net--
""".replace("\n", "\r\n").encode("ascii")


def arf(received: Received, *, feedback_type: str = "abuse", report_id: str = "<arf-1@fbl.example.com>") -> bytes:
    """A complaint: the recipient pressed "Report spam"; the feedback loop quotes the whole message."""
    return (
        f"""From: <fbl@fbl.example.com>
Date: Mon, 7 Dec 2026 10:00:00 +0000
Subject: FW: complaint about a message from commonground.example.org
To: <{received.sender}>
Message-ID: {report_id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
 boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 192.0.2.1 on Mon, 7 Dec 2026.
For more information about this format please see https://www.rfc-editor.org/rfc/rfc5965.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <{received.sender}>
Original-Rcpt-To: <{received.recipients[0]}>
Arrival-Date: Mon, 7 Dec 2026 09:00:00 +0000
Reporting-MTA: dns; fbl.example.com

--part1_13d.2e68ed54_boundary
Content-Type: message/rfc822
Content-Disposition: inline

""".replace("\n", "\r\n").encode("ascii")
        + received.raw
        + b"\r\n--part1_13d.2e68ed54_boundary--\r\n"
    )


def maildir(path: Path, *messages: bytes) -> mailbox.Maildir:
    box = mailbox.Maildir(path, create=True)
    for message in messages:
        box.add(message)
    return box


def mbox(path: Path, *messages: bytes) -> Path:
    box = mailbox.mbox(path, create=True)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path
