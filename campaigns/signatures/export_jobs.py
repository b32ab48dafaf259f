"""The owners' CSV of a very large statement, built by the worker as a file instead of streamed in the request.

A download that would take too long to finish well within the web worker's timeout (gunicorn's default: 30
seconds) could be cut off; above CAMPAIGNS_EXPORT_WORKER_ROWS counted signatures the owners' download queues a
job instead. The worker writes exactly the file the stream would send (ending with its `# complete: N rows`
line) to a temporary name, renames it once whole, records the job done and emails the owner a link in the same
transaction. The link is for that owner only, while they may still edit the statement; the file is removed
CAMPAIGNS_EXPORT_KEEP_HOURS after it was made.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable

from flask import current_app

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.jobs import runner
from campaigns.jobs.models import Job
from campaigns.jobs.queries import current_job
from campaigns.jobs.services import queue_job
from campaigns.organisations.models import Organisation
from campaigns.outbox.services import queue_email
from campaigns.signatures import exports
from campaigns.signatures.counting import totals
from campaigns.statements.models import Statement
from campaigns.urls import external_url

KIND = "signatures_csv"


def worker_builds(statement: Statement) -> bool:
    """True if the statement has too many signatures for its owners' file to be streamed in a request."""
    threshold = current_app.config["CAMPAIGNS_EXPORT_WORKER_ROWS"]
    return bool(threshold) and totals(statement.id).total > threshold


def request_export(statement: Statement, viewer: Organisation, *, actor: User) -> Job:
    """The actor's file of the statement's signatures, as the people of author organisation `viewer` see them, being
    built (or built and kept), else a new job for it."""
    job = current_job(actor.id, KIND, statement.id)
    if job is not None and job.params.get("viewer_id") == viewer.id:
        return job
    filename = f"{statement.slug}-signatures-{viewer.slug}-{utcnow():%Y-%m-%d}.csv"
    total = totals(statement.id).total
    job = queue_job(KIND, actor=actor, subject_id=statement.id, total=total, filename=filename, viewer_id=viewer.id)
    record("signatures.export_requested", statement, actor=actor, job=job.id, organisation=viewer)
    db.session.flush()
    return job


def _build(job: Job, report: Callable[[int], None]) -> runner.Made:
    """Write the owners' file to a temporary name, then rename it once whole."""
    assert job.subject_id is not None
    directory = runner.export_dir()
    name = f"job-{job.id}-{secrets.token_urlsafe(12)}.csv"
    partial = directory / f"job-{job.id}.part"
    try:
        with partial.open("w", encoding="utf-8", newline="") as file:
            for piece in exports.owner_file(job.subject_id, job.params["viewer_id"], on_batch=report):
                file.write(piece)
    except BaseException:
        partial.unlink(missing_ok=True)  # (a worker killed outright leaves it: the next attempt writes it afresh)
        raise
    os.replace(partial, directory / name)
    return runner.Made(file_path=name, file_name=job.params["filename"], file_bytes=(directory / name).stat().st_size)


def email_ready(job: Job) -> None:
    """Email the owner the link to the file (in the transaction that records the job done)."""
    owner = db.session.get(User, job.owner_id) if job.owner_id else None
    statement = db.session.get(Statement, job.subject_id)
    if owner is None or statement is None:
        return
    link = external_url("signatures.export_job", slug=statement.slug, job_id=job.id)
    queue_email(owner.email, "signatures_export_ready", owner=owner, statement=statement, job=job, link=link)


runner.register(KIND, runner.Kind(run=_build, finished=email_ready))
