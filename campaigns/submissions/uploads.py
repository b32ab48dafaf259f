"""Attached files: PDF, DOCX or ODT, told apart by their content, not their name; stored in the instance folder.

A file is written under a temporary name and takes its own name only when the request's transaction commits;
a rollback removes it. So a refused or failed request leaves nothing in `instance/attachments/`, and a
committed one exactly its file. `flask sweep-attachments` removes what a crash may leave behind.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.submissions.models import Attachment, Response, Submission
from campaigns.submissions.services import new_stored_name, require_editor

MAX_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}


class FileRefused(DomainError):
    status_code = 400


class FileTooLarge(FileRefused):
    status_code = 413


#: Archives (DOCX and ODT are zip files) are looked into, never unpacked. These bound what looking may cost,
#: whatever the archive claims or hides: a long report has a few hundred parts and compresses about 5 to 20 times.
MAX_ENTRIES = 2000
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_RATIO = 100
#: The most read from any one entry: enough for an ODT's `mimetype`.
PEEK_BYTES = 1024
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")


class ArchiveRefused(FileRefused):
    def __init__(self) -> None:
        super().__init__(
            "This file would unpack to far more than its size, or has too many parts, so we cannot check it. "
            "Save it again from your word processor, or as a PDF, and attach that."
        )


def _check_directory(data: bytes) -> None:
    """Refuse, before any part is parsed, an archive whose table of contents is too long or says too much."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - _END_OF_DIRECTORY.size - 65535))
    if at < 0 or at + _END_OF_DIRECTORY.size > len(data):
        raise zipfile.BadZipFile("no end of central directory")
    _, _, _, _, entries, directory_bytes, _, _ = _END_OF_DIRECTORY.unpack_from(data, at)
    # 0xFFFF and 0xFFFFFFFF mean "see the ZIP64 record": no document of 10 MB needs one.
    if entries >= min(0xFFFF, MAX_ENTRIES + 1) or directory_bytes > MAX_DIRECTORY_BYTES:
        raise ArchiveRefused()


def _check_sizes(archive: zipfile.ZipFile, archive_bytes: int) -> None:
    """Refuse an archive whose parts claim to unpack to too much, in all or any one of them."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused()
    if sum(info.file_size for info in infos) > MAX_RATIO * archive_bytes:
        raise ArchiveRefused()
    if any(info.file_size > MAX_RATIO * info.compress_size + PEEK_BYTES for info in infos):
        raise ArchiveRefused()


def _peek(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of one entry. Only stored or deflated entries are read: deflate inflates only as asked."""
    info = archive.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return b""
    with archive.open(info) as entry:
        return entry.read(PEEK_BYTES)


def sniff(data: bytes) -> str | None:
    """The file's type from its content: a PDF header, or a zip that is a Word or OpenDocument text.

    ArchiveRefused for a zip whose inspection could cost far more than its size (a "zip bomb").
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        _check_directory(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_sizes(archive, len(data))
            names = set(archive.namelist())
            if "mimetype" in names and _peek(archive, "mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError, EOFError, zlib.error):
        return None
    return None


def folder() -> Path:
    path = Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_name(filename: str) -> str:
    name = "".join(c for c in Path(filename or "").name if c.isprintable() and c not in '"\\/')[:150].strip()
    return name or "attachment"


def attach(
    submission: Submission, filename: str, data: bytes, *, actor: User, response: Response | None = None
) -> Attachment:
    """Check and store a file for a submission (or one of its responses)."""
    require_editor(submission, actor=actor)
    if len(data) > MAX_BYTES:
        raise FileTooLarge("The file must be 10 MB or smaller.")
    if not data:
        raise FileRefused("The file is empty.")
    content_type = sniff(data)
    if content_type is None:
        raise FileRefused("The file must be a PDF, a Word document (DOCX) or an OpenDocument text (ODT).")
    name = _clean_name(filename)
    extension = EXTENSIONS[content_type]
    if not name.lower().endswith(extension):
        name = f"{Path(name).stem or 'attachment'}{extension}"
    attachment = Attachment(
        submission_id=submission.id,
        response_id=response.id if response else None,
        filename=name,
        content_type=content_type,
        size=len(data),
        stored_name=new_stored_name(),
        uploaded_by_id=actor.id,
    )
    _store_on_commit(attachment.stored_name, data)
    db.session.add(attachment)
    db.session.flush()
    record("submission.file_attached", submission.statement, submission=submission.id, file=name, actor=actor)
    return attachment


def path_of(attachment: Attachment) -> Path:
    return folder() / attachment.stored_name


#: A file waiting for its transaction to commit has this prefix before its stored name.
PENDING_PREFIX = ".pending-"
#: Files waiting in this session, to be put in place on commit or removed otherwise.
_PENDING = "campaigns.uploads.pending"
#: How long a leftover is kept before the sweep removes it: far longer than any request takes.
SWEEP_AFTER_SECONDS = 3600
_STORED_NAME = re.compile(r"[0-9a-f]{32}")

log = logging.getLogger(__name__)


def _store_on_commit(stored_name: str, data: bytes) -> None:
    """Write the file under a temporary name; it is renamed to `stored_name` when the transaction commits."""
    pending = folder() / f"{PENDING_PREFIX}{stored_name}"
    pending.write_bytes(data)
    db.session.info.setdefault(_PENDING, []).append(pending)


@event.listens_for(Session, "after_commit")
def _put_in_place(session: Session) -> None:
    """The request committed: its files take their names (a savepoint's commit is not the end)."""
    if session.in_nested_transaction():
        return
    for pending in session.info.pop(_PENDING, []):
        try:
            pending.replace(pending.with_name(pending.name.removeprefix(PENDING_PREFIX)))
        except OSError:
            log.exception("Could not put the attached file %s in place", pending)


@event.listens_for(Session, "after_transaction_end")
def _discard(session: Session, transaction: SessionTransaction) -> None:
    """The transaction ended without committing (rolled back, or closed): its files go."""
    if transaction.parent is not None:
        return
    for pending in session.info.pop(_PENDING, []):
        pending.unlink(missing_ok=True)


@dataclass(frozen=True)
class Swept:
    """What a sweep removed: files of requests that never committed, and files no attachment refers to."""

    pending: int
    unreferenced: int


def sweep(*, now: float | None = None) -> Swept:
    """Remove leftovers older than an hour: temporary files of requests that never finished (a crash between
    the write and the commit), and stored files that no attachment refers to. Younger ones may belong to a
    request still running, and every file an attachment refers to stays.
    """
    cutoff = (time.time() if now is None else now) - SWEEP_AFTER_SECONDS
    referenced = set(db.session.scalars(sa.select(Attachment.stored_name)))
    pending = unreferenced = 0
    for path in folder().iterdir():
        name = path.name
        is_pending = name.startswith(PENDING_PREFIX) and bool(_STORED_NAME.fullmatch(name[len(PENDING_PREFIX) :]))
        is_orphan = bool(_STORED_NAME.fullmatch(name)) and name not in referenced
        if not (is_pending or is_orphan) or not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        path.unlink(missing_ok=True)
        pending += is_pending
        unreferenced += is_orphan
    return Swept(pending, unreferenced)
