"""An iCalendar feed of the dates replies are due, for an organisation's calendar (RFC 5545)."""

from __future__ import annotations

from datetime import timedelta

from campaigns.database import utcnow
from campaigns.organisations.models import Organisation
from campaigns.submissions.lateness import due_date
from campaigns.submissions.models import Submission
from campaigns.urls import external_url


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def feed(organisation: Organisation, submissions: list[Submission]) -> str:
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Common Ground//Submissions//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape('Replies due: ' + organisation.name)}",
    ]
    for submission in submissions:
        due = due_date(submission)
        if due is None:
            continue
        title = submission.revision.title
        link = external_url("submissions.show", slug=submission.statement.slug, submission_id=submission.id)
        lines += [
            "BEGIN:VEVENT",
            f"UID:submission-{submission.id}-{due:%Y%m%d}@commonground",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'Reply due from {submission.target.label}: {title}')}",
            f"DESCRIPTION:{_escape(f'Sent on {submission.sent_on:%d %B %Y}. {link}')}",
            f"URL:{link}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
