"""A very large owners' list is a file the worker builds: asked for, shown in progress, emailed when ready, for
the owner alone, removed after its time; and never offered, or taken, when cut off."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.jobs.models import Job, JobStatus
from campaigns.jobs.runner import MAX_ATTEMPTS, for_worker
from campaigns.outbox.models import OutboxMessage
from campaigns.outbox.worker import Worker
from campaigns.signatures import exports
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement
from tests.signatures.test_exports import reference_owner_file, rows_of
from tests.support.links import path_of


@pytest.fixture
def large(app, monkeypatch, tmp_path):
    """An open statement whose five signatures are "too many" (the threshold set to 1), written 2 rows a batch."""
    monkeypatch.setitem(app.config, "CAMPAIGNS_EXPORT_WORKER_ROWS", 1)
    monkeypatch.setitem(app.config, "CAMPAIGNS_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setattr(exports, "BATCH", 2)
    p = open_statement()
    for n in range(5):
        confirmed(p.statement, make_organisation(f"Trust {n:02}"))
    return p


def ask(client, p) -> str:
    """Ask for the file as the lead's editor; returns the progress page's path."""
    client.login(p.council_editor)
    response = client.post(f"/statements/{p.statement.slug}/signatures/export")
    assert response.status_code == 302
    return path_of(response.headers["Location"])


def export_files(app) -> list[Path]:
    return sorted(Path(app.config["CAMPAIGNS_EXPORT_DIR"]).glob("job-*"))


def test_a_very_large_list_is_prepared_by_the_worker_and_the_owner_is_emailed_a_link(app, client, large):
    p = large
    client.login(p.council_editor)
    owners = client.get(f"/statements/{p.statement.slug}/signatures")
    assert "prepared for you" in owners.text and "signatures.csv" not in owners.text
    streamed = client.get(f"/statements/{p.statement.slug}/signatures.csv")
    assert streamed.status_code == 302 and streamed.headers["Location"].endswith("/signatures/export")
    assert "Prepare the file" in client.get(f"/statements/{p.statement.slug}/signatures/export").text

    page = ask(client, p)
    job = db.session.scalars(sa.select(Job)).one()  # written in the request's transaction
    assert (job.status, job.owner_id, job.total) == (JobStatus.QUEUED, p.council_editor.id, 5)
    waiting = client.get(page)
    assert "Preparing your file" in waiting.text and '<meta http-equiv="refresh" content="5">' in waiting.text
    assert f'href="{page}"' in waiting.text  # a refresh link too
    assert client.get(f"{page}/file").status_code == 410
    # Asking again finds the same job rather than queueing another.
    assert ask(client, p) == page

    Worker(app).run(once=True)  # the worker that sends mail runs jobs too, between batches
    db.session.expire_all()
    assert (job.status, job.progress) == (JobStatus.DONE, 5)
    email = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.template == "signatures_export_ready")
    ).one()
    assert email.recipient == p.council_editor.email
    assert page in email.text_body and "until" in email.text_body
    ready = client.get(page)
    assert "Your file is ready" in ready.text and 'http-equiv="refresh"' not in ready.text

    download = client.get(f"{page}/file")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith(f"attachment; filename={p.statement.slug}-signatures-")
    assert int(download.headers["Content-Length"]) == len(download.data)  # a cut-off download shows as one
    assert download.data == reference_owner_file(
        p.statement.id, p.council.id
    )  # exactly what the stream would have sent
    assert len(rows_of(download.data)) == 5


def test_the_prepared_file_is_for_the_owner_who_asked_alone(app, client, large):
    p = large
    page = ask(client, p)
    for_worker(Worker(app)).run_one()
    client.login(p.charity_editor)  # an owner too, but not the one who asked
    assert client.get(page).status_code == 404
    assert client.get(f"{page}/file").status_code == 404
    client.login(p.council_member)  # no longer (or never) an editor of the statement
    assert client.get(f"{page}/file").status_code == 403


def test_the_file_is_removed_after_its_time(app, client, large):
    p = large
    page = ask(client, p)
    jobs = for_worker(Worker(app))
    jobs.run_one()
    (kept,) = export_files(app)
    job = db.session.scalars(sa.select(Job)).one()
    assert job.expires_at - job.finished_at == timedelta(hours=app.config["CAMPAIGNS_EXPORT_KEEP_HOURS"])
    assert jobs.sweep() == 0
    job.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert jobs.sweep() == 1
    assert not kept.exists()
    assert "was deleted" in client.get(page).text
    assert client.get(f"{page}/file").status_code == 410


def test_a_file_cut_off_on_the_way_cannot_be_taken_for_the_whole_list(app, client, large):
    p = large
    page = ask(client, p)
    # The worker is told to stop after the first batch: it hands the job back, and nothing half-written is offered.
    jobs = for_worker(Worker(app))
    reports = []

    class StopAfterOneBatch(threading.Event):
        def is_set(self) -> bool:
            reports.append(1)
            return len(reports) > 1

    jobs.stopping = StopAfterOneBatch()
    assert jobs.run_one()
    db.session.expire_all()
    job = db.session.scalars(sa.select(Job)).one()
    assert (job.status, job.attempts, job.progress) == (JobStatus.QUEUED, 0, 2)
    assert export_files(app) == []  # the part written is removed
    assert client.get(f"{page}/file").status_code == 410
    assert "Preparing your file" in client.get(page).text

    # Done at the next turn: the whole file ends with its count, and any shorter copy of it does not.
    assert for_worker(Worker(app)).run_one()
    (whole,) = export_files(app)
    data = client.get(f"{page}/file").data
    assert data == whole.read_bytes() and data.endswith(b"\r\n# complete: 5 rows\r\n")
    for cut in range(len(data)):
        assert not data[:cut].endswith(b"# complete: 5 rows\r\n")
    # A download the browser stopped part-way is shorter than the Content-Length it was told: never a whole file.


def test_a_job_that_fails_is_tried_again_then_fails_visibly(app, client, large, monkeypatch):
    p = large
    page = ask(client, p)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "owner_file", broken)
    jobs = for_worker(Worker(app))
    jobs.run_one()
    job = db.session.scalars(sa.select(Job)).one()
    assert (job.status, job.attempts, job.last_error) == (JobStatus.QUEUED, 1, "OSError: disk full")
    assert job.next_attempt_at > utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        job.next_attempt_at = utcnow()
        db.session.commit()
        jobs.run_one()
        db.session.expire_all()
    assert (job.status, job.attempts) == (JobStatus.FAILED, MAX_ATTEMPTS)
    assert "could not prepare the file" in client.get(page).text
    assert export_files(app) == []
    # Asking again starts afresh.
    assert ask(client, p) != page


def test_a_job_whose_worker_died_is_claimed_again_and_that_counts_as_an_attempt(app, large):
    p = large
    job = Job(
        kind="signatures_csv",
        owner_id=p.council_editor.id,
        subject_id=p.statement.id,
        params={"filename": "x", "viewer_id": p.council.id},
    )
    job.status, job.claimed_by, job.lease_expires_at = JobStatus.RUNNING, "dead:1:abc", utcnow() - timedelta(seconds=1)
    db.session.add(job)
    db.session.commit()
    assert for_worker(Worker(app)).run_one()
    db.session.expire_all()
    assert (job.status, job.attempts, job.claimed_by) == (JobStatus.DONE, 1, None)


def test_below_the_threshold_the_owners_download_streams_as_before(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CAMPAIGNS_EXPORT_WORKER_ROWS", 10)
    p = open_statement()
    confirmed(p.statement, make_organisation("Only Trust"))
    client.login(p.council_editor)
    response = client.get(f"/statements/{p.statement.slug}/signatures.csv")
    assert response.status_code == 200 and len(rows_of(response.data)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
