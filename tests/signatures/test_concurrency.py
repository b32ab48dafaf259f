"""Many people signing, confirming and changing things at the same moment: one signature per organisation,
every link counted once, and the counters equal to an actual count of the signatures afterwards.

Each request or job runs in its own thread with its own database session, as separate processes would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations import services as organisation_services
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.outbox.models import OutboxMessage
from campaigns.signatures import services
from campaigns.signatures.counting import totals
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureCount, SignatureDay, SignatureStatus
from campaigns.statements.models import Statement
from tests.factories import make_organisation, make_user
from tests.signatures.builders import open_statement, sign, sign_on
from tests.support.concurrency import at_once

VISITOR = {
    "signer_name": "Pat Visitor",
    "signer_role": "Chair",
    "organisation_name": "Hillside Tenants Group",
    "list_publicly": "y",
}


def in_own_session(app: Flask, work: Callable[[], str]) -> Callable[[], str]:
    """`work` in an application context of its own (its own session), as another process would run it."""

    def run() -> str:
        with app.app_context():
            return work()

    return run


def actual_counts(statement_id: int) -> Counter[tuple[OrganisationKind, bool]]:
    """Counted signatures by kind and verification, by counting the table itself."""
    rows = db.session.execute(
        sa.select(Organisation.kind, Organisation.verified_at.is_not(None), sa.func.count())
        .join(Signature, Signature.organisation_id == Organisation.id)
        .where(Signature.statement_id == statement_id, Signature.status == SignatureStatus.CONFIRMED)
        .group_by(Organisation.kind, Organisation.verified_at.is_not(None))
    ).all()
    return Counter({(kind, bool(verified)): n for kind, verified, n in rows})


def counter_values(statement_id: int) -> Counter[tuple[OrganisationKind, bool]]:
    rows = db.session.execute(
        sa.select(SignatureCount.kind, SignatureCount.verified, SignatureCount.count).where(
            SignatureCount.statement_id == statement_id
        )
    ).all()
    return Counter({(kind, verified): n for kind, verified, n in rows if n})


def day_total(statement_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(SignatureDay.count), 0)).where(SignatureDay.statement_id == statement_id)
    )


def test_fifty_people_signing_for_one_organisation_at_once_make_one_signature(app):
    p = open_statement()
    organisation = make_organisation("Hillside Tenants Group")  # nobody here yet: anyone may sign for it
    path = f"/s/{p.statement.slug}/sign"
    clients = [app.test_client() for _ in range(50)]

    def attempt(n: int) -> Callable[[], int]:
        return lambda: (
            clients[n]
            .post(
                path,
                data={**VISITOR, "email": f"person{n}@hillside.example.org"},
                environ_base={"REMOTE_ADDR": f"10.3.0.{n}"},
            )
            .status_code
        )

    statuses = Counter(at_once(*(attempt(n) for n in range(50))))

    assert statuses == {303: 1, 409: 49}
    (signature,) = db.session.scalars(sa.select(Signature)).all()
    assert signature.organisation_id == organisation.id
    confirmations = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.subject.startswith("Confirm your signature"))
    ).all()
    assert confirmations == [signature.signer_email]


def test_fifty_confirmations_of_one_link_count_once(app):
    p = open_statement()
    organisation = make_organisation("Hillside Tenants Group")
    signature = sign(p.statement, organisation)
    path = f"/s/{p.statement.slug}/confirm/{signature_token(signature, 'confirm')}"
    clients = [app.test_client() for _ in range(50)]

    statuses = Counter(at_once(*(lambda c=c: c.post(path).status_code for c in clients)))

    assert statuses == {303: 1, 200: 49}  # the others see that it is confirmed already
    assert totals(p.statement.id).total == 1
    assert day_total(p.statement.id) == 1
    receipts = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.subject.startswith("Signature confirmed"))
    )
    assert receipts == 1


def test_two_hundred_organisations_signing_and_confirming_at_once_keep_the_counts_exact(app):
    p = open_statement()
    statement_id = p.statement.id
    kinds = [OrganisationKind.COUNCIL, OrganisationKind.VCS, OrganisationKind.PUBLIC_BODY]
    organisation_ids = [
        make_organisation(f"Signing Organisation {n}", kind=kinds[n % 3], verified=n % 4 != 0).id for n in range(200)
    ]

    def sign_and_confirm(n: int) -> str:
        statement = db.session.get(Statement, statement_id)
        organisation = db.session.get(Organisation, organisation_ids[n])
        signature = services.sign(statement, sign_on(organisation, signer_email=f"signer{n}@example.org")).signature
        db.session.commit()
        services.confirm(signature_token(signature, "confirm"), statement)
        db.session.commit()
        if n % 10 == 0:
            # Some change their minds at once: withdrawing takes them out of the counts again.
            services.withdraw_by_link(signature_token(signature, "withdraw"), statement)
            db.session.commit()
            return "withdrawn"
        return "confirmed"

    outcomes = Counter(at_once(*(in_own_session(app, lambda n=n: sign_and_confirm(n)) for n in range(200))))

    assert outcomes == {"confirmed": 180, "withdrawn": 20}
    expected = actual_counts(statement_id)
    assert sum(expected.values()) == 180
    assert counter_values(statement_id) == expected
    assert totals(statement_id).total == 180
    assert totals(statement_id, verified_only=True).total == sum(n for (_, verified), n in expected.items() if verified)
    assert day_total(statement_id) == 180


def test_organisations_verified_while_signatures_are_confirmed_are_counted_where_they_now_belong(app):
    """Verification moves an organisation's counted signatures; a confirmation at the same moment must not be
    counted under the old verification, and the two must not deadlock."""
    p = open_statement()
    statement_id = p.statement.id
    admin_id = make_user(platform_admin=True).id
    organisations = [make_organisation(f"Unverified {n}", verified=False) for n in range(30)]
    # Half have counted signatures already (verifying moves them); half are confirming as they are verified.
    signatures = [sign(p.statement, organisation) for organisation in organisations]
    for signature in signatures[::2]:
        services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    tokens = {s.id: signature_token(s, "confirm") for s in signatures[1::2]}
    ids = [(o.id, s.id) for o, s in zip(organisations, signatures, strict=True)]

    def verify(organisation_id: int) -> Callable[[], str]:
        def run() -> str:
            admin = db.session.get(User, admin_id)
            organisation_services.verify(db.session.get(Organisation, organisation_id), actor=admin)
            db.session.commit()
            return "verified"

        return in_own_session(app, run)

    def confirm(signature_id: int) -> Callable[[], str]:
        def run() -> str:
            services.confirm(tokens[signature_id], db.session.get(Statement, statement_id))
            db.session.commit()
            return "confirmed"

        return in_own_session(app, run)

    actions = [verify(o) for o, _ in ids] + [confirm(s) for _, s in ids if s in tokens]
    outcomes = Counter(at_once(*actions))

    assert outcomes == {"verified": 30, "confirmed": 15}
    assert counter_values(statement_id) == actual_counts(statement_id) == {(OrganisationKind.VCS, True): 30}
    assert totals(statement_id, verified_only=True).total == 30


def test_owners_saving_settings_at_once_never_lose_a_change(app):
    p = open_statement()
    services.saved_settings(p.statement)
    db.session.commit()
    version = services.settings_for(p.statement).version
    editor_ids = [p.council_editor.id, p.charity_editor.id]
    statement_id = p.statement.id

    def save(n: int) -> Callable[[], str]:
        def run() -> str:
            statement = db.session.get(Statement, statement_id)
            actor = db.session.get(User, editor_ids[n])
            change = services.settings_change(services.settings_for(statement), target=100 * (n + 1))
            try:
                services.update_settings(statement, change, actor=actor, based_on_version=version)
            except services.SettingsConflict:
                db.session.rollback()
                return "conflict"
            db.session.commit()
            return "saved"

        return in_own_session(app, run)

    outcomes = sorted(at_once(save(0), save(1)))

    assert outcomes == ["conflict", "saved"]
    settings = services.settings_for(p.statement)
    assert settings.target in (100, 200)
    assert settings.version == version + 1


def test_many_signing_at_once_for_one_organisation_through_the_service_get_already_signed(app):
    p = open_statement()
    statement_id = p.statement.id
    organisation_id = make_organisation("Quiet Charity").id

    def attempt(n: int) -> Callable[[], str]:
        def run() -> str:
            statement = db.session.get(Statement, statement_id)
            organisation = db.session.get(Organisation, organisation_id)
            outcome = services.sign(statement, sign_on(organisation, signer_email=f"p{n}@quiet.example.org"))
            db.session.commit()
            return "already signed" if outcome.already_signed else "signed"

        return in_own_session(app, run)

    outcomes = Counter(at_once(*(attempt(n) for n in range(50))))

    assert outcomes == {"signed": 1, "already signed": 49}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 1
