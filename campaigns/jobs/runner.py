"""Running jobs: the worker's loop (outbox/worker.py, through its deliver_queues event, after each batch of mail)
claims one due job at a time with a lease, runs its kind's handler, records the outcome, and sweeps away files kept
past their time. One job a turn: that worker's mail waits while it runs (run two workers if exports are common).

Guarantees, as for mail (outbox/worker.py):
- a job is claimed by one worker at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE);
- the handler reports progress, which renews the lease; a worker that loses its lease (another claimed the job
  after it ran out) stops at its next report, and a worker asked to stop hands the job back at once;
- a job whose worker died is claimed again once the lease runs out, and that counts as an attempt; a failing job
  is retried with a growing delay up to a limit, then fails for good, visibly (its page says so);
- a handler's work becomes visible only when the job is recorded done, in one transaction with whatever the kind
  does on finishing (an export emails its owner): a file half-written by a killed worker is never offered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from campaigns.database import rows_changed, sqlite_deferred, utcnow
from campaigns.extensions import db
from campaigns.jobs.models import Job, JobStatus
from campaigns.outbox.events import deliver_queues

log = logging.getLogger(__name__)

#: Longest wait between two attempts at one job.
MAX_BACKOFF = timedelta(hours=1)
#: Attempts at a job (a worker killed while running it counts as one) before it fails for good.
MAX_ATTEMPTS = 3


class Interrupted(Exception):
    """The worker is stopping, or lost its lease on the job: stop the work, write nothing."""


@dataclass(frozen=True)
class Made:
    """What a handler made: a file in the export folder (its name there), the name to download it as."""

    file_path: str
    file_name: str
    file_bytes: int


@dataclass(frozen=True)
class Kind:
    #: Does the work (reading the database as it likes, writing nothing to it), reporting progress as it goes.
    run: Callable[[Job, Callable[[int], None]], Made]
    #: Runs in the transaction that records the job done (queue the email that says so); must flush, not commit.
    finished: Callable[[Job], None]


KINDS: dict[str, Kind] = {}


def register(name: str, kind: Kind) -> None:
    """Make jobs of kind `name` runnable by the worker."""
    KINDS[name] = kind


def export_dir() -> Path:
    """The folder where jobs' files are kept until they expire."""
    path = Path(current_app.config["CAMPAIGNS_EXPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def backoff(attempts: int, base_seconds: int) -> timedelta:
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class JobRunner:
    """The worker's job half: `run_one()` once per turn of its loop."""

    def __init__(
        self, name: str, *, lease: timedelta, stopping: Any, max_attempts: int = MAX_ATTEMPTS, retry_seconds: int = 60
    ) -> None:
        self.name = name
        self.lease = lease
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.stopping = stopping

    def run_one(self) -> bool:
        """Sweep expired files, then claim and run one due job; True if there was one."""
        self.sweep()
        job = self.claim()
        if job is None:
            return False
        job_id = job.id
        try:
            # Deferred on SQLite: the handler reads for a long time, and must not hold the write lock meanwhile.
            with sqlite_deferred():
                made = KINDS[job.kind].run(job, lambda done: self.report(job_id, done))
        except Interrupted:
            db.session.rollback()
            self.release(job_id)
            return True
        except Exception as error:
            db.session.rollback()
            log.exception("Job %s failed", job_id)
            self.record_failure(job_id, f"{type(error).__name__}: {error}")
            return True
        db.session.rollback()  # end the handler's reading before the short transaction that records it
        self.record_done(job_id, made)
        return True

    def claim(self) -> Job | None:
        """Take a lease on the oldest due job, in one short transaction."""
        try:
            db.session.connection()  # begin first: on SQLite this waits for the write lock
            now = utcnow()
            due = sa.or_(
                sa.and_(Job.status == JobStatus.QUEUED, Job.next_attempt_at <= now),
                sa.and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < now),
            )
            job = db.session.scalars(
                sa.select(Job)
                .where(due, Job.kind.in_(list(KINDS)))
                .order_by(Job.next_attempt_at, Job.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if job is None:
                db.session.commit()
                return None
            if job.status == JobStatus.RUNNING:
                # Its worker died while running it: that counts as an attempt, so a job that kills every worker
                # that tries it fails in the end instead of forever.
                job.attempts += 1
                if job.attempts >= self.max_attempts:
                    self._fail(job, f"A worker stopped while running this job, {job.attempts} times", now)
                    db.session.commit()
                    return None
            job.status = JobStatus.RUNNING
            job.claimed_by = self.name
            job.lease_expires_at = now + self.lease
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return job

    def report(self, job_id: int, done: int) -> None:
        """Record progress and renew the lease, in a transaction of its own (the handler's reading stays open);
        stop the job if the worker is stopping or has lost it."""
        if self.stopping.is_set():
            raise Interrupted
        with db.engine.begin() as connection:
            renewed = connection.execute(
                sa.update(Job)
                .where(Job.id == job_id, Job.claimed_by == self.name, Job.status == JobStatus.RUNNING)
                .values(progress=done, lease_expires_at=utcnow() + self.lease, updated_at=utcnow())
            )
        if rows_changed(renewed) == 0:
            log.warning("Job %s was claimed by another worker: stopping it here", job_id)
            raise Interrupted

    def _ours(self, job_id: int) -> Job | None:
        db.session.connection()
        job = db.session.get(Job, job_id, with_for_update=True, populate_existing=True)
        if job is None or job.claimed_by != self.name or job.status != JobStatus.RUNNING:
            return None
        return job

    def record_done(self, job_id: int, made: Made) -> None:
        job = self._ours(job_id)
        if job is None:
            log.warning("Job %s finished after this worker's lease on it had run out: not recorded", job_id)
            (export_dir() / made.file_path).unlink(missing_ok=True)
            db.session.rollback()
            return
        now = utcnow()
        job.status = JobStatus.DONE
        job.file_path, job.file_name, job.file_bytes = made.file_path, made.file_name, made.file_bytes
        job.finished_at = now
        job.expires_at = now + timedelta(hours=current_app.config["CAMPAIGNS_EXPORT_KEEP_HOURS"])
        job.claimed_by = job.lease_expires_at = None
        job.last_error = None
        KINDS[job.kind].finished(job)
        db.session.commit()
        log.info("Job %s (%s) done: %s, %d bytes", job.id, job.kind, made.file_path, made.file_bytes)

    def record_failure(self, job_id: int, error: str) -> None:
        job = self._ours(job_id)
        if job is None:
            db.session.rollback()
            return
        now = utcnow()
        job.attempts += 1
        if job.attempts >= self.max_attempts:
            self._fail(job, error, now)
        else:
            job.status = JobStatus.QUEUED
            job.last_error = error[:2000]
            job.next_attempt_at = now + backoff(job.attempts, self.retry_seconds)
            job.claimed_by = job.lease_expires_at = None
        db.session.commit()

    def _fail(self, job: Job, error: str, now: datetime) -> None:
        job.status = JobStatus.FAILED
        job.last_error = error[:2000]
        job.finished_at = now
        job.claimed_by = job.lease_expires_at = None
        log.warning("Job %s (%s) failed for good after %d attempts: %s", job.id, job.kind, job.attempts, error)

    def release(self, job_id: int) -> None:
        """Hand the job back at once (the worker is stopping), rather than making it wait out the lease."""
        db.session.execute(
            sa.update(Job)
            .where(Job.id == job_id, Job.claimed_by == self.name, Job.status == JobStatus.RUNNING)
            .values(status=JobStatus.QUEUED, claimed_by=None, lease_expires_at=None, updated_at=utcnow())
        )
        db.session.commit()

    def sweep(self) -> int:
        """Remove the files of jobs past their time, and mark those jobs expired. Returns how many."""
        now = utcnow()
        expired = db.session.execute(
            sa.select(Job.id, Job.file_path).where(Job.status == JobStatus.DONE, Job.expires_at < now).limit(100)
        ).all()
        db.session.rollback()
        for job_id, file_path in expired:
            if file_path:
                (export_dir() / file_path).unlink(missing_ok=True)
            db.session.execute(
                sa.update(Job)
                .where(Job.id == job_id, Job.status == JobStatus.DONE)
                .values(status=JobStatus.EXPIRED, file_path=None, updated_at=now)
            )
            db.session.commit()
        return len(expired)


def for_worker(worker: Any) -> JobRunner:
    """The job runner of one worker: its name, lease and stop signal."""
    return JobRunner(worker.name, lease=worker.lease, stopping=worker.stopping)


@deliver_queues.connect
def _run_a_job(worker: Any) -> int:
    """After each batch of mail, one due job (if any): 1 if there was one, so the worker does not go idle."""
    return int(for_worker(worker).run_one())
