"""A person downloads everything held about them: a zip of JSON and a summary, built by the worker, emailed once."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.models import OutboxStatus
from campaigns.privacy import exports
from campaigns.privacy.models import DataExport
from tests.factories import make_organisation
from tests.privacy.builders import EMAIL, NAME, a_person_with_a_history
from tests.signatures.builders import confirmed

SUBJECT = "Your copy of your data on Common Ground"
VISITOR = "pat.visitor@riverside.example.org"
LINK = re.compile(rb"http://127\.0\.0\.1:\d+(/data/[A-Za-z0-9_.\-]+)")


def opened(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        files = {name: zipped.read(name).decode() for name in zipped.namelist()}
    return {
        name.removesuffix(".json"): json.loads(text) if name.endswith(".json") else text for name, text in files.items()
    }


def emailed_link(message) -> str:
    """The download link in an email as the SMTP server received it (quoted-printable undone)."""
    text = message.raw.replace(b"=\r\n", b"").replace(b"=3D", b"=")
    found = LINK.search(text)
    assert found, message.raw
    return found.group(1).decode()


def test_a_signed_in_person_downloads_a_record_of_every_kind_built_by_the_worker(client, deliver, app):
    p, person, _submission = a_person_with_a_history(deliver)
    client.login(person)
    files = set(exports.folder().iterdir())

    assert client.post("/account/data").status_code == 302
    export = db.session.scalar(sa.select(DataExport))
    assert export.status == OutboxStatus.QUEUED and set(exports.folder().iterdir()) == files  # built by the worker
    [ready] = [m for m in deliver() if m.recipients == [EMAIL] and m.subject == SUBJECT]
    assert "You asked, while signed in to your account," in ready.text and "change your password" in ready.text
    assert "typed your address into our form" not in ready.text  # they asked while signed in, not by address
    page = client.get("/account/data")
    assert "Ready until" in page.text
    data = opened(client.post(f"/account/data/{export.id}/download"))

    assert data["account"]["name"] == NAME and data["account"]["email"] == EMAIL
    assert "password_hash" not in data["account"] and "session_key" not in data["account"]
    assert [(m["organisation"], m["role"]) for m in data["memberships"]] == [(p.council.name, "admin")]
    [signature] = data["signatures"]
    assert signature["organisation"] == p.council.name and signature["signer_email"] == EMAIL
    assert signature["status"] == "confirmed" and signature["consent_text"] and signature["text_version_agreed"] == 2
    assert "organisations_that_may_contact_you" in signature and "consent_version" in signature
    assert [c["body"] for c in data["comments"]] == ["Should we name the minister?"]
    assert [a["rationale"] for a in data["amendments"]] == ["Clearer."]
    assert [r["number"] for r in data["revisions"]] == [2]
    assert [s["decision"] for s in data["sign_offs"]] == ["approved"]
    assert [i["organisation"] for i in data["invitations"]] == [p.reviewer.name]
    subjects = [e["subject"] for e in data["emails"]]
    assert "Reset your Common Ground password" in subjects and all(e["status"] for e in data["emails"])
    actions = [entry["action"] for entry in data["activity"]]
    assert "account.name_changed" in actions and "account.data_export_requested" in actions
    assert NAME in data["summary.html"] and "Should we name the minister?" in data["summary.html"]
    assert "Everything Common Ground held about " + EMAIL in data["README.txt"]


def test_someone_without_an_account_asks_by_address_and_the_emailed_link_works_once(client, deliver):
    p, _person, _submission = a_person_with_a_history(deliver)
    visitors = make_organisation("Riverside Community Trust")
    confirmed(p.statement, visitors, signer_name="Pat Visitor", signer_email=VISITOR)
    deliver()

    asked = client.post("/data/request", data={"email": VISITOR})
    nobody = client.post("/data/request", data={"email": "no.one@nowhere.example.org"})

    # The same answer whether or not anything is held: nobody can tell which addresses are known.
    assert (asked.status_code, asked.headers["Location"]) == (nobody.status_code, nobody.headers["Location"])
    assert "Check your email" in client.get(asked.headers["Location"]).text
    sent = deliver()
    [email] = [m for m in sent if m.recipients == [VISITOR]]
    assert b"Subject: Your copy of your data on Common Ground" in email.raw
    assert "someone typed your address into our form" in email.text
    link = emailed_link(email)
    assert "Download your data" in client.get(link).text  # a button: a mail scanner opening the link uses nothing
    data = opened(client.post(link))
    assert [s["signer_email"] for s in data["signatures"]] == [VISITOR]
    assert data["signatures"][0]["organisation"] == "Riverside Community Trust"
    assert data["account"] is None and data["comments"] == []
    again = client.post(link)
    assert again.status_code == 400 and "already been used" in again.text


def test_a_download_expires_its_file_is_removed_and_the_address_forgotten(client, deliver):
    client.post("/data/request", data={"email": VISITOR})
    [email] = [m for m in deliver() if m.recipients == [VISITOR]]
    link = emailed_link(email)
    export = db.session.scalar(sa.select(DataExport))
    file = exports.folder() / export.stored_name
    assert file.is_file()
    db.session.execute(sa.update(DataExport).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()

    deliver()  # the worker removes what has expired

    db.session.expire_all()
    export = db.session.scalar(sa.select(DataExport))
    assert export.expired_at is not None and export.email == "" and export.stored_name is None
    assert not file.exists()
    refused = client.get(link)
    assert refused.status_code == 400 and "expired" in refused.text


def test_someone_elses_download_is_not_theirs_to_take(client, deliver):
    _p, person, _submission = a_person_with_a_history(deliver)
    client.login(person)
    client.post("/account/data")
    deliver()
    export = db.session.scalar(sa.select(DataExport))
    client.login(_p.council_editor)
    assert client.post(f"/account/data/{export.id}/download").status_code == 404


def _stranded(attempts: int, lease_ends: timedelta) -> None:
    """A download a worker claimed and then stopped working on (killed mid-build)."""
    db.session.add(
        DataExport(
            email=VISITOR,
            status=OutboxStatus.SENDING,
            claimed_by="stopped-worker",
            attempts=attempts,
            lease_expires_at=utcnow() + lease_ends,
        )
    )
    db.session.commit()


def test_a_download_whose_worker_stopped_is_built_by_another_once_its_lease_runs_out(deliver):
    _stranded(attempts=0, lease_ends=-timedelta(seconds=1))

    [email] = [m for m in deliver() if m.recipients == [VISITOR]]

    export = db.session.scalar(sa.select(DataExport))
    assert export.ready and export.attempts == 2 and export.claimed_by is None
    assert emailed_link(email).startswith("/data/")


def test_a_download_another_worker_still_holds_is_left_to_it(deliver):
    _stranded(attempts=0, lease_ends=timedelta(minutes=5))

    assert deliver() == []

    assert db.session.scalar(sa.select(DataExport.status)) == OutboxStatus.SENDING


def test_a_download_that_keeps_stopping_its_worker_is_given_up_after_three_attempts(deliver):
    _stranded(attempts=exports.MAX_ATTEMPTS - 1, lease_ends=-timedelta(seconds=1))

    assert deliver() == []

    export = db.session.scalar(sa.select(DataExport))
    assert export.status == OutboxStatus.FAILED and "stopped" in export.last_error
