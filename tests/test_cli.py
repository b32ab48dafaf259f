"""The commands an operator runs: seed-demo and create-admin."""

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.passwords import verify_password
from campaigns.extensions import db
from campaigns.organisations.demo import DEMO_PASSWORD, ORGANISATIONS, PEOPLE
from campaigns.organisations.models import Membership, Organisation, OrganisationKind, Role
from campaigns.signatures import demo as signing_demo
from campaigns.signatures.models import Signature
from tests.factories import make_user


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_loads_councils_and_vcs_organisations_and_people_in_every_role(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"password for all: {DEMO_PASSWORD}" in result.output
    kinds = db.session.scalars(sa.select(Organisation.kind)).all()
    assert kinds.count(OrganisationKind.COUNCIL) >= 10
    assert kinds.count(OrganisationKind.VCS) >= 20
    assert set(db.session.scalars(sa.select(Membership.role))) == set(Role)
    assert db.session.scalar(sa.select(User).where(User.is_platform_admin)).email == PEOPLE[0].email
    regions = set(
        db.session.scalars(sa.select(Organisation.region).where(Organisation.kind == OrganisationKind.COUNCIL))
    )
    assert len(regions) >= 7
    # Checked long before they signed or wrote anything, not on the day the demo was loaded.
    earliest_signature = db.session.scalar(sa.select(sa.func.min(Signature.created_at)))
    checked = list(db.session.scalars(sa.select(Organisation.verified_at).where(Organisation.verified_at.is_not(None))))
    assert len(checked) >= 30 and max(checked) < earliest_signature


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    before = (count(Organisation), count(User), count(Membership))
    result = runner.invoke(args=["seed-demo"])
    assert "added 0 organisations, 0 people, 0 memberships, 0 statements, 0 signatures" in result.output
    signing = len(signing_demo.TOWNS) * (len(signing_demo.VCS_NAMES) + len(signing_demo.COUNCIL_NAMES) + 1)
    expected = (len(ORGANISATIONS) + signing, len(PEOPLE), sum(len(person.memberships) for person in PEOPLE))
    assert (count(Organisation), count(User), count(Membership)) == before == expected


def test_seed_demo_if_empty_leaves_a_database_in_use_alone(app):
    make_user()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "demo data not loaded" in result.output
    assert count(Organisation) == 0


def test_demo_people_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    response = client.post("/sign-in", data={"email": PEOPLE[1].email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_create_admin_creates_a_confirmed_platform_admin(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "Ops@Example.org"],
        input="Olu Ops\nsilver kettle morning fog\nsilver kettle morning fog\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.name, user.is_platform_admin, user.email_verified) == (
        "ops@example.org",
        "Olu Ops",
        True,
        True,
    )
    assert verify_password(user.password_hash, "silver kettle morning fog")


def test_create_admin_promotes_an_existing_account_without_touching_its_password(app):
    user = make_user(email="jane@example.org")
    old_hash = user.password_hash
    result = app.test_cli_runner().invoke(args=["create-admin", "jane@example.org"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert user.is_platform_admin
    assert user.password_hash == old_hash


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "ops@example.org"], input="Olu Ops\npassword\npassword\n"
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    assert count(User) == 0


def test_seed_demo_has_a_statement_in_every_stage_on_the_issues_of_the_seed(app):
    from campaigns.statements.models import Stage, Statement, StatementTopic, Topic

    app.test_cli_runner().invoke(args=["seed-demo"])
    assert set(db.session.scalars(sa.select(Statement.stage))) == set(Stage)
    topics = set(db.session.scalars(sa.select(StatementTopic.topic)))
    assert {Topic.LOCAL_GOVERNMENT_FUNDING, Topic.SOCIAL_SECURITY, Topic.EMPLOYMENT_SUPPORT, Topic.GROWTH} <= topics
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert "added 0 organisations" in again.output
    assert count(Statement) == 6  # one in each stage, and a response to the demo consultation


def test_the_demo_statements_pages_all_open(app, client):
    from campaigns.accounts.models import User
    from campaigns.organisations.demo import PEOPLE
    from campaigns.statements.models import Statement
    from campaigns.statements.permissions import Action, can

    app.test_cli_runner().invoke(args=["seed-demo"])
    client.post("/sign-in", data={"email": PEOPLE[1].email, "password": DEMO_PASSWORD})  # Northshire County Council
    assert client.get("/statements").status_code == 200
    assert client.get("/statements/mine").status_code == 200
    council_officer = db.session.scalar(sa.select(User).where(User.email == PEOPLE[1].email))
    seen = []
    for statement in db.session.scalars(sa.select(Statement)):
        response = client.get(f"/statements/{statement.slug}")
        expected = 200 if can(council_officer, statement, Action.READ) else 404
        assert response.status_code == expected, statement.slug
        seen.append(expected)
    assert 200 in seen  # the council takes part in some demo statements
    assert client.get("/s/fair-funding-for-rural-councils").status_code == 200
