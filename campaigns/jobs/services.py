"""Queueing jobs. Like email, a job is a row written in the caller's transaction; the worker runs it after commit,
so a rolled-back request leaves nothing to run."""

from __future__ import annotations

from typing import Any

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.jobs.models import Job


def queue_job(kind: str, *, actor: User, subject_id: int | None, total: int | None, **params: Any) -> Job:
    """Write one job of `kind` for `actor` (only they see it), about `subject_id`, of about `total` steps."""
    job = Job(kind=kind, owner_id=actor.id, subject_id=subject_id, total=total, params=params)
    db.session.add(job)
    db.session.flush()
    return job
