"""`insert_now`: one INSERT for a new object, which the session then holds as if it had loaded it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from campaigns.database import insert_now, sqlite_autocommit
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind, OrganisationWord
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from tests.signatures.test_list_cost import statements_sent


def new_message(message_id: str = "<one@commonground.example.org>") -> OutboxMessage:
    return OutboxMessage(recipient="sam@example.org", subject="Hello", text_body="Hello.\n", message_id=message_id)


def test_a_row_inserted_at_once_has_its_defaults_and_is_read_back_from_the_session_without_a_query(app):
    message = new_message()

    assert insert_now(db.session(), message) is True

    assert message.id is not None
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0 and message.headers == {}
    assert db.session.get(OutboxMessage, message.id) is message, "the session holds it as loaded"
    assert message not in db.session.new and message not in db.session.dirty
    row = db.session.execute(
        sa.text("SELECT status, recipient FROM outbox_messages WHERE id = :id"), {"id": message.id}
    )
    assert row.one() == ("queued", "sam@example.org")


def test_a_row_a_unique_constraint_refuses_is_skipped_when_asked_and_the_transaction_goes_on(app):
    insert_now(db.session(), new_message())
    clash = new_message()

    assert insert_now(db.session(), clash, skip_on_conflict=True) is False

    assert clash.id is None and clash not in db.session
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_the_mappers_insert_events_run_as_in_a_flush(app):
    organisation = Organisation(
        name="Hillside Tenants Group", slug="hillside-tenants-group", kind=OrganisationKind.VCS, region="london"
    )

    insert_now(db.session(), organisation)

    assert organisation.name_key == "hillside tenants group", "set before the insert"
    words = db.session.scalars(
        sa.select(OrganisationWord.word).where(OrganisationWord.organisation_id == organisation.id)
    )
    assert sorted(words) == ["group", "hillside", "tenants"], "indexed after it"


def test_a_row_inserted_at_once_is_undone_by_a_rollback(app):
    with sqlite_autocommit(enabled=False):  # in a transaction, as in a request
        insert_now(db.session(), new_message())
        db.session.rollback()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_column_left_unset_reads_as_null_without_a_query(app):
    message = new_message()
    insert_now(db.session(), message)

    with statements_sent() as sent:
        assert message.mailing_id is None and message.sent_at is None
    assert sent == []


def test_none_given_for_a_column_with_a_default_means_the_default_as_in_a_flush(app):
    message = new_message()
    message.headers = None  # type: ignore[assignment]

    insert_now(db.session(), message)

    assert message.headers == {}


def test_a_rollback_takes_the_object_out_of_the_session_with_its_values_as_after_a_flush(app):
    with sqlite_autocommit(enabled=False):
        message = new_message()
        insert_now(db.session(), message)
        db.session.rollback()

    assert sa.inspect(message).transient and message.recipient == "sam@example.org"


def test_a_savepoint_rolled_back_takes_its_objects_out_and_keeps_the_rest(app):
    with sqlite_autocommit(enabled=False):
        kept = new_message()
        insert_now(db.session(), kept)
        savepoint = db.session.begin_nested()
        undone = new_message("<two@commonground.example.org>")
        insert_now(db.session(), undone)
        savepoint.rollback()
        db.session.commit()

    assert sa.inspect(undone).transient and sa.inspect(kept).persistent
    assert db.session.scalars(sa.select(OutboxMessage.message_id)).all() == ["<one@commonground.example.org>"]


def test_a_relationship_set_instead_of_its_foreign_key_is_refused(app):
    organisation = Organisation(name="Eastwick Food Bank", slug="eastwick-food-bank", kind=OrganisationKind.VCS)
    organisation.memberships = []

    with pytest.raises(AssertionError, match="foreign keys"):
        insert_now(db.session(), organisation)
