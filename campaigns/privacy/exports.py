"""Building a person's data download: a zip of JSON, one file per kind of record, and a summary to read.

Built by the mail worker after each batch of email (hooks.py), never in a request: a queue leased as email is
(campaigns.outbox.leases), each download claimed in a short transaction, built outside any, and recorded only if the
worker still holds it. The file lives in the instance folder's
exports/ until the download expires; then it is removed and the address asked about forgotten.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from campaigns.accounts.models import User
from campaigns.database import rows_changed, utcnow
from campaigns.extensions import db
from campaigns.outbox.leases import LeasedQueue
from campaigns.outbox.models import OutboxStatus
from campaigns.privacy import emails, queries
from campaigns.privacy.models import DataExport

log = logging.getLogger(__name__)

#: A build that takes longer than this is taken up again by another worker.
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
#: Downloads built in one worker tick at most, so mail is never kept waiting long.
PER_TICK = 5

#: The sections of the download, in order: file name, and what a reader is told it holds.
SECTIONS = {
    "account": "Your account",
    "memberships": "Organisations you belong to, and your role",
    "signatures": "Signatures you made for an organisation, the text version you agreed and your choices",
    "revisions": "Revisions of statements you wrote",
    "comments": "Comments you wrote",
    "amendments": "Amendments you proposed",
    "sign_offs": "Approvals you gave or changes you asked for, for an organisation",
    "invitations": "Invitations to join an organisation sent to you",
    "emails": "Email sent to you",
    "suppressions": "Updates you asked not to get",
    "activity": "The activity log's entries about you",
}


def folder() -> Path:
    """Where download files are kept (the instance folder's exports/)."""
    path = Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def lifetime() -> timedelta:
    """How long a download can be fetched once it is ready."""
    return timedelta(hours=current_app.config["CAMPAIGNS_DATA_EXPORT_HOURS"])


def collect(user: User | None, email: str) -> dict[str, Any]:
    """Everything held about the account `user` (if any) and the address `email`, by section."""
    data: dict[str, Any] = {name: [] for name in SECTIONS}
    data["account"] = queries.account_section(user) if user is not None else None
    data["signatures"] = queries.signatures_section(user, email)
    data["invitations"] = queries.invitations_section(email)
    data["emails"] = queries.emails_section(email)
    data["suppressions"] = queries.suppressions_section(email)
    if user is not None:
        data["memberships"] = queries.memberships_section(user)
        data["revisions"] = queries.revisions_section(user)
        data["comments"] = queries.comments_section(user)
        data["amendments"] = queries.amendments_section(user)
        data["sign_offs"] = queries.sign_offs_section(user)
        data["activity"] = queries.audit_section(user)
    return data


def archive(data: dict[str, Any], email: str, generated_at: datetime) -> bytes:
    """The zip: README.txt, summary.html, and <section>.json for each section (UTF-8, sorted keys)."""
    buffer = io.BytesIO()
    summary = render_template(
        "privacy/export_summary.html", data=data, sections=SECTIONS, email=email, generated_at=generated_at
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            "README.txt",
            f"Everything Common Ground held about {email} on {generated_at:%d %B %Y at %H:%M} UTC.\n"
            "summary.html is for reading; each .json file holds one kind of record, for programs.\n",
        )
        zipped.writestr("summary.html", summary)
        for name in SECTIONS:
            zipped.writestr(f"{name}.json", json.dumps(data[name], indent=2, sort_keys=True, ensure_ascii=False))
    return buffer.getvalue()


#: The data downloads' queue: its rows are claimed, leased and retried as email's are.
QUEUE = LeasedQueue(DataExport)


def deliver_due(*, worker: str) -> int:
    """Build the due downloads (up to PER_TICK) and email each its link, then remove expired ones; returns how many
    were attempted. Commits its own short transactions: the worker runs it after each batch of email."""
    try:
        db.session.connection()  # begin first (see LeasedQueue.claim)
        now = utcnow()
        claimed = QUEUE.claim(
            [DataExport.id],
            worker=worker,
            now=now,
            lease=LEASE,
            limit=PER_TICK,
            max_attempts=MAX_ATTEMPTS,
            give_up=lambda fields, attempts: log.warning("Data download %s failed for good", fields[0]),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for (export_id,), attempts in claimed:
        _build(export_id, attempts, worker)
    expire(utcnow())
    return len(claimed)


def _build(export_id: int, attempts: int, worker: str) -> None:
    stored_name = secrets.token_hex(16) + ".zip"
    try:
        export = db.session.get(DataExport, export_id)
        assert export is not None
        user = db.session.get(User, export.user_id) if export.user_id is not None else None
        email = user.email if user is not None else export.email
        if user is None:
            user = queries.account_by_email(email)  # asked for by address: the address's account too
        content = archive(collect(user, email), email, utcnow())
        db.session.rollback()  # end the reading transaction before writing the file
        (folder() / stored_name).write_bytes(content)
    except Exception as error:
        db.session.rollback()
        log.exception("Data download %s could not be built", export_id)
        failure: str | None = f"{type(error).__name__}: {error}"
    else:
        failure = None
    if failure is not None:
        # Recorded after the failed work was rolled back, in a transaction of its own.
        values = QUEUE.failed(
            attempts + 1, failure, permanent=False, max_attempts=MAX_ATTEMPTS, retry_seconds=60, now=utcnow()
        )
        db.session.execute(QUEUE.ours(export_id, worker).values(**values))
        db.session.commit()
        return
    now = utcnow()
    done = db.session.execute(
        QUEUE.ours(export_id, worker).values(
            status=OutboxStatus.SENT,
            attempts=attempts + 1,
            sent_at=now,
            expires_at=now + lifetime(),
            stored_name=stored_name,
            size=len(content),
            last_error=None,
            claimed_by=None,
            lease_expires_at=None,
            updated_at=now,
        )
    )
    if rows_changed(done):
        export = db.session.get(DataExport, export_id, populate_existing=True)
        assert export is not None
        emails.send_export_ready(export, email)
    else:  # its lease ran out and another worker took it over: that worker's file will be the one
        (folder() / stored_name).unlink(missing_ok=True)
    db.session.commit()


def expire(now: datetime) -> None:
    """Remove the files of downloads whose time has run out and forget the address they were about (commits)."""
    for export in queries.expired_exports(now):
        remove_file(export)
        export.expired_at = export.expired_at or now
        export.email = ""
    db.session.commit()


def remove_file(export: DataExport) -> None:
    """Delete the download's file, if it has one."""
    if export.stored_name:
        (folder() / export.stored_name).unlink(missing_ok=True)
        export.stored_name = None
