"""Work the worker does for someone, away from their request: building a large file (an export), for example.

A job is a row written in the request's transaction, like an email; the worker (outbox/worker.py, which delivers
mail and runs jobs in one loop) claims it with a lease, runs it, and records the outcome. Any area adds a kind of
job by registering a handler (jobs/runner.py).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    #: Done, and its file removed after the time it was kept for.
    EXPIRED = "expired"


#: A job not yet finished: asking again for the same thing finds it rather than queueing another.
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(Model):
    __tablename__ = "jobs"
    __table_args__ = (
        # The worker's claim query: due jobs by status and time; and the sweep of files past their time.
        sa.Index("ix_jobs_status_next_attempt_at", "status", "next_attempt_at"),
        sa.Index("ix_jobs_status_expires_at", "status", "expires_at"),
        # Finding a person's job for the same thing (an export of one statement).
        sa.Index("ix_jobs_owner_id_kind_subject_id", "owner_id", "kind", "subject_id"),
        sa.CheckConstraint("progress >= 0", name="progress_not_negative"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which handler runs it, such as `signatures_csv`.
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: What it is about (for an export, the statement's id); its meaning belongs to the kind.
    subject_id: Mapped[int | None]
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The person it is for: only they see its progress and its file. Erasing them leaves the job to expire.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[JobStatus] = mapped_column(string_enum(JobStatus, "job_status"), default=JobStatus.QUEUED)
    #: How far it has got (for an export, rows written) and, where known, of about how many.
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: While a worker holds the job; once this passes, another worker may claim it again.
    lease_expires_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    #: The file it made: its name in the export folder, the name it is downloaded as, and its size.
    file_path: Mapped[str | None] = mapped_column(sa.String(200))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    file_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]
    #: When its file is removed (the sweep marks it expired).
    expires_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"
