"""Reading jobs."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.jobs.models import UNFINISHED, Job, JobStatus


def owned_job(job_id: int, owner_id: int, kind: str, subject_id: int) -> Job | None:
    """The job, if it is `owner_id`'s job of `kind` about `subject_id`; None for anyone else's (or none)."""
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != owner_id or job.kind != kind or job.subject_id != subject_id:
        return None
    return job


def current_job(owner_id: int, kind: str, subject_id: int) -> Job | None:
    """The owner's newest job of `kind` about `subject_id` that is running, waiting, or done and still kept."""
    return db.session.scalars(
        sa.select(Job)
        .where(
            Job.owner_id == owner_id,
            Job.kind == kind,
            Job.subject_id == subject_id,
            Job.status.in_([*UNFINISHED, JobStatus.DONE]),
        )
        .order_by(Job.id.desc())
        .limit(1)
    ).first()
