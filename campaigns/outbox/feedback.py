"""Bounces and complaints after acceptance: read the bounce mailbox, record each report against the message it
is about, and tell other areas (email updates suppress the address). Run by `flask --app wsgi process-bounces`.

Each mailbox message is handled in its own transaction: one that cannot be read is logged and left flagged in
the mailbox, and the rest go on. Reading a mailbox twice records nothing twice.
"""

from __future__ import annotations

import logging
import mailbox
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.outbox import events, returnpath
from campaigns.outbox.models import DeliveryReport, OutboxMessage
from campaigns.outbox.reports import Ignored, Report, Unreadable, UnsubscribeRequest, read

log = logging.getLogger(__name__)


def _message_for(report: Report) -> OutboxMessage | None:
    """Our message the report is about: by its VERP return path (checked), else by the Message-ID it quotes."""
    for address in report.return_paths:
        found = returnpath.message_for(address)
        if found is not None:
            return db.session.get(OutboxMessage, found)
    if report.original_message_id:
        return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.message_id == report.original_message_id))
    return None


def record(report: Report) -> DeliveryReport | None:
    """Record one report against its message and announce it; None when it names no message of ours, or was
    recorded before."""
    message = _message_for(report)
    if message is None:
        log.warning("A %s from %s names no message we sent; ignored", report.kind.label.lower(), report.reported_by)
        return None
    exists = sa.select(DeliveryReport.id).where(
        DeliveryReport.source == report.source, DeliveryReport.message_id == message.id
    )
    if db.session.scalar(exists) is not None:
        return None
    row = DeliveryReport(
        message_id=message.id,
        recipient=message.recipient.lower(),
        kind=report.kind,
        status=report.status,
        diagnostic=report.diagnostic,
        reported_by=report.reported_by,
        source=report.source,
    )
    db.session.add(row)
    db.session.flush()
    log.info("%s for message %s to %s: %s", report.kind.label, message.id, row.recipient, report.diagnostic or "")
    events.report_recorded.send(row, email=row.recipient, mailing_id=message.mailing_id, kind=report.kind)
    return row


def process(raw: bytes, name: str = "a message") -> str:
    """Act on one message from the bounce mailbox, in the caller's transaction; returns what it was.

    Raises Unreadable for a report that cannot be read.
    """
    reading = read(raw)
    if isinstance(reading, Ignored):
        log.info("Bounce mailbox: %s is %s; left alone", name, reading.reason)
        return "ignored"
    if isinstance(reading, UnsubscribeRequest):
        events.unsubscribe_requested.send(reading, token=reading.token)
        return "unsubscribe request"
    recorded = [record(report) for report in reading]
    if not any(recorded):
        return "not ours or seen before"
    return ", ".join(sorted({row.kind.label.lower() for row in recorded if row is not None}))


@contextmanager
def _own_transaction() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _maildir_messages(box: mailbox.Maildir) -> Iterator[tuple[str, bytes]]:
    for key in sorted(box.keys()):
        if "S" not in box.get_message(key).get_flags():  # seen: read on an earlier run
            yield key, box.get_bytes(key)


def _mark_read(box: mailbox.Maildir, key: str, *, problem: bool) -> None:
    message = box.get_message(key)
    message.set_subdir("cur")
    message.add_flag("FS" if problem else "S")
    box[key] = message


def process_mailbox(path: str | Path) -> Counter[str]:
    """Read every unread message of a Maildir (then marked read, or flagged when unreadable), or every message
    of an mbox file (left as it is; read again, it records nothing new). Returns counts of what was found."""
    path = Path(path)
    counts: Counter[str] = Counter()
    if path.is_dir():
        maildir = mailbox.Maildir(path, factory=None, create=False)
        for key, raw in _maildir_messages(maildir):
            problem = _process_one(raw, key, counts)
            _mark_read(maildir, key, problem=problem)
        return counts
    mbox = mailbox.mbox(path, create=False)
    try:
        for key in mbox.iterkeys():
            _process_one(mbox.get_bytes(key), f"message {key}", counts)
    finally:
        mbox.close()
    return counts


def _process_one(raw: bytes, name: str, counts: Counter[str]) -> bool:
    """Process one message in its own transaction, counting what it was; True when it could not be."""
    try:
        with _own_transaction():
            counts[process(raw, name)] += 1
    except Unreadable as error:
        counts["unreadable"] += 1
        log.warning("Bounce mailbox: cannot read %s: %s", name, error)
    except Exception:
        counts["failed"] += 1
        log.exception("Bounce mailbox: %s could not be processed", name)
    else:
        return False
    return True
