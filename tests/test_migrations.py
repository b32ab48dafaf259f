"""The schema is the migrations': one head, up and down cleanly, and nothing the models have that they lack."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from campaigns import create_app
from campaigns.extensions import db
from tests.support.databases import MIGRATIONS, DatabaseUnderTest


def test_there_is_exactly_one_migration_head():
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture
def scratch_database(database, tmp_path):
    """A database of the same backend as the run's, empty, for migrating up and down."""
    scratch = DatabaseUnderTest.create(database.backend, tmp_path)
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": scratch.url})
    yield app
    with app.app_context():
        db.engine.dispose()
    scratch.drop()


def _tables(app):
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_up_down_and_up_again(scratch_database):
    app = scratch_database
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    assert {"users", "organisations", "memberships", "invitations", "outbox_messages", "audit_events"} <= _tables(app)
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="base")
    assert _tables(app) == set()
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.session.remove()
    assert "users" in _tables(app)


def test_the_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_audit_log_refuses_changes_and_deletions(app):
    from campaigns.audit.services import record

    record("test.event", actor=None)
    db.session.commit()
    for statement in ("UPDATE audit_events SET action = 'changed'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    assert db.session.scalar(sa.text("SELECT action FROM audit_events")) == "test.event"


def test_websites_stored_before_the_web_address_rules_are_normalised_or_emptied(scratch_database):
    app = scratch_database
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="f31317d04bca")
        now = "2026-11-01 00:00:00"
        websites = {1: "www.Example.org", 2: "javascript:alert(1)", 3: "https://fine.example.org/a", 4: "two words"}
        with db.engine.begin() as connection:
            for n, website in websites.items():
                connection.execute(
                    sa.text(
                        "INSERT INTO organisations (id, name, slug, kind, region, website, created_at, updated_at) "
                        "VALUES (:n, :name, :slug, 'vcs', 'london', :website, :now, :now)"
                    ),
                    {"n": n, "name": f"Organisation {n}", "slug": f"organisation-{n}", "website": website, "now": now},
                )
                connection.execute(
                    sa.text(
                        "INSERT INTO submission_targets (id, slug, kind, name, website, created_at) "
                        "VALUES (:n, :slug, 'other', :name, :website, :now)"
                    ),
                    {"n": n, "name": f"Target {n}", "slug": f"target-{n}", "website": website, "now": now},
                )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            organisations = dict(connection.execute(sa.text("SELECT id, website FROM organisations")).all())
            targets = dict(connection.execute(sa.text("SELECT id, website FROM submission_targets")).all())
        db.session.remove()
    assert organisations == {1: "https://www.example.org", 2: None, 3: "https://fine.example.org/a", 4: None}
    assert targets == {1: "https://www.example.org", 2: "", 3: "https://fine.example.org/a", 4: ""}


def test_responses_started_before_the_one_per_lead_rule_keep_the_first_as_the_leads_and_the_rest_alone(
    scratch_database,
):
    app = scratch_database
    now = "2026-12-01 00:00:00"
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="6e2b9d4f1a37")
        with db.engine.begin() as connection:

            def run(sql: str, **values: object) -> None:
                connection.execute(sa.text(sql), {"now": now, **values})

            for n in (1, 2):
                run(
                    "INSERT INTO organisations (id, name, slug, kind, region, created_at, updated_at) "
                    "VALUES (:n, :name, :slug, 'vcs', 'london', :now, :now)",
                    n=n,
                    name=f"Organisation {n}",
                    slug=f"organisation-{n}",
                )
            run(
                "INSERT INTO consultations (id, slug, title, department, closes_at, organisation_id, created_at, "
                "updated_at) VALUES (1, 'c', 'C', 'D', '2099-01-01 00:00:00', 1, :now, :now)"
            )
            # Organisation 1 started two responses (statements 1 and 2), organisation 2 one (statement 3).
            for statement, lead in ((1, 1), (2, 1), (3, 2)):
                run(
                    "INSERT INTO statements (id, slug, lead_organisation_id, stage, created_at, updated_at) "
                    "VALUES (:s, :slug, :lead, 'draft', :now, :now)",
                    s=statement,
                    slug=f"s-{statement}",
                    lead=lead,
                )
                run(
                    "INSERT INTO consultation_responses (id, statement_id, consultation_id, created_at) "
                    "VALUES (:s, :s, 1, :now)",
                    s=statement,
                )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            leads = dict(
                connection.execute(sa.text("SELECT id, lead_organisation_id FROM consultation_responses")).all()
            )
        db.session.remove()
    assert leads == {1: 1, 2: None, 3: 2}
