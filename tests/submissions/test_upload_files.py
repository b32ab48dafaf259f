"""Attached files on disk: a committed upload leaves exactly its file, a failed one nothing, the sweep the rest."""

from __future__ import annotations

import io
import os
import time

import pytest
import sqlalchemy as sa

from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.submissions import services, uploads
from campaigns.submissions.models import Attachment
from tests.submissions.builders import private_reply_with_a_file, send, signed_statement

PDF = b"%PDF-1.7\n%%EOF"


def files() -> set[str]:
    return {path.name for path in uploads.folder().iterdir()}


def upload(client, p, submission) -> int:
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments"
    return client.post(url, data={"file": (io.BytesIO(PDF), "letter.pdf")}).status_code


def test_a_committed_upload_leaves_exactly_its_file(client):
    p = signed_statement()
    [submission] = send(p)
    before = files()
    assert upload(client, p, submission) == 302
    attachment = db.session.scalars(sa.select(Attachment)).one()
    assert files() - before == {attachment.stored_name}
    assert uploads.path_of(attachment).read_bytes() == PDF


def test_a_request_that_fails_after_the_upload_step_leaves_no_file(client, monkeypatch):
    p = signed_statement()
    [submission] = send(p)
    before = files()

    def fail(*_args: object, **_kwargs: object) -> None:
        raise Conflict("Someone changed this submission a moment ago.")

    monkeypatch.setattr(uploads, "record", fail)  # the step after the file is written
    assert upload(client, p, submission) == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert files() == before


def test_a_file_attached_and_rolled_back_in_a_service_call_is_removed(app):
    p = signed_statement()
    [submission] = send(p)
    before = files()
    uploads.attach(submission, "letter.pdf", PDF, actor=p.council_editor)
    assert len(files() - before) == 1  # waiting, under a temporary name
    db.session.rollback()
    assert files() == before


def aged(name: str, hours: float) -> str:
    path = uploads.folder() / name
    if not path.exists():
        path.write_bytes(PDF)
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))
    return name


@pytest.mark.usefixtures("app")
def test_the_sweep_removes_old_leftovers_and_keeps_young_ones_and_every_referenced_file():
    p = signed_statement()
    _, attachment_id = private_reply_with_a_file(p.statement)
    referenced = aged(db.session.get(Attachment, attachment_id).stored_name, hours=48)
    old_pending = aged(uploads.PENDING_PREFIX + services.new_stored_name(), hours=2)
    young_pending = aged(uploads.PENDING_PREFIX + services.new_stored_name(), hours=0.5)
    old_orphan = aged(services.new_stored_name(), hours=2)
    young_orphan = aged(services.new_stored_name(), hours=0.5)
    not_ours = aged("README.txt", hours=48)

    swept = uploads.sweep()

    assert (swept.pending, swept.unreferenced) >= (1, 1)
    left = files()
    assert old_pending not in left and old_orphan not in left
    assert {referenced, young_pending, young_orphan, not_ours} <= left


def test_the_sweep_runs_as_a_flask_command(app):
    old_pending = aged(uploads.PENDING_PREFIX + services.new_stored_name(), hours=2)
    result = app.test_cli_runner().invoke(args=["sweep-attachments"])
    assert result.exit_code == 0, result.output
    assert "Attachments: removed" in result.output
    assert old_pending not in files()
