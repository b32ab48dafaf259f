"""Attached files: PDF, DOCX or ODT, told apart by their content, not their name; stored in the instance folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from flask import current_app

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


def sniff(data: bytes) -> str | None:
    """The file's type from its content: a PDF header, or a zip that is a Word or OpenDocument text."""
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
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
    require_editor(submission, actor)
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
    (folder() / attachment.stored_name).write_bytes(data)
    db.session.add(attachment)
    db.session.flush()
    record(actor, "submission.file_attached", submission.statement, submission=submission.id, file=name)
    return attachment


def path_of(attachment: Attachment) -> Path:
    return folder() / attachment.stored_name
