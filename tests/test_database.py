"""The database set-up: SQLite in WAL mode with foreign keys, and writers that wait for each other."""

import threading
import time

import pytest
import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.extensions import db
from tests.factories import PASSWORD
from tests.support.concurrency import at_once


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("SQLite's own settings")


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(app, sqlite_only):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_a_row_that_points_nowhere_is_refused(app):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO memberships (organisation_id, user_id, role, created_at)"
                " VALUES (999, 999, 'admin', '2026-01-01')"
            )
        )
        db.session.flush()
    db.session.rollback()


def test_a_write_waits_for_another_writer_instead_of_failing(client, app, sqlite_only):
    """Another process holds the write lock for a second; the sign-up waits for it, then succeeds."""
    holding = threading.Event()
    engine = db.engine

    def hold_the_write_lock() -> None:
        # Outside a request, the app begins every transaction with BEGIN IMMEDIATE: this takes the write lock.
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT 1")
            holding.set()
            time.sleep(1)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    holding.wait(5)
    response = client.post(
        "/account/register", data={"name": "Jane Smith", "email": "jane@example.org", "password": PASSWORD}
    )
    holder.join()
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User.email)) == "jane@example.org"


def test_many_people_signing_up_at_once_all_succeed(app):
    clients = [app.test_client() for _ in range(8)]

    def sign_up(n: int):
        return lambda: clients[n].post(
            "/account/register",
            data={"name": f"Person {n}", "email": f"p{n}@example.org", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"10.2.0.{n}"},
        )

    responses = at_once(*(sign_up(n) for n in range(8)))
    assert [r.status_code for r in responses] == [302] * 8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 8


def test_what_a_session_remembers_survives_a_select_written_as_text_and_not_a_write_unless_marked_as_reading(app):
    from campaigns.database import reads_only, session_memo

    session = db.session()
    session_memo(session, "answers")["asked"] = 1
    db.session.execute(sa.text("SELECT count(*) FROM users"))
    assert session_memo(session, "answers") == {"asked": 1}, "a SELECT changes nothing remembered"
    db.session.execute(sa.text("UPDATE users SET name = name WHERE id = 0"))
    assert session_memo(session, "answers") == {}, "a write written as text may change anything"
    session_memo(session, "answers")["asked"] = 1
    db.session.execute(
        sa.text("WITH none AS (SELECT 0 AS id) UPDATE users SET name = name WHERE id IN (SELECT id FROM none)")
    )
    assert session_memo(session, "answers") == {}, "a WITH may write"
    session_memo(session, "answers")["asked"] = 1
    db.session.execute(reads_only(sa.text("WITH ids AS (SELECT id FROM users) SELECT count(*) FROM ids")))
    assert session_memo(session, "answers") == {"asked": 1}, "a WITH marked as only reading"
