"""Keeping automated, throwaway and replayed sign-ons out: rate limits per address and statement, the honeypot,
disposable email domains, and emailed links that work once and expire."""

from __future__ import annotations

import time as real_time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.outbox.models import OutboxMessage
from campaigns.signatures import services
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.counting import totals
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureStatus
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.statements.builders import Partnership
from tests.support.concurrency import at_once
from tests.support.links import token_made_ago


class Clock:
    """The rate limiter's clock, moved forward by the test instead of waiting."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return real_time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # The limiter's in-memory storage (tests use memory://) reads the time through this module's `time`.
    fake = Clock()
    monkeypatch.setattr("limits.storage.memory.time", fake)
    return fake


def visitor(n: int) -> dict[str, str]:
    """A sign-on by someone without an account, for a new organisation of their own."""
    return {
        "signer_name": f"Visitor {n}",
        "signer_role": "Chair",
        "email": f"visitor{n}@example.org",
        "organisation_name": f"Test Organisation {n}",
        "organisation_type": "vcs:charity",
        "region": "london",
    }


def sign_on(client, p: Partnership, n: int, address: str = "10.1.1.1", **changes: str):
    return client.post(
        f"/s/{p.statement.slug}/sign", data={**visitor(n), **changes}, environ_base={"REMOTE_ADDR": address}
    )


def signature_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Signature))


def test_an_office_behind_one_connection_signs_several_organisations_in_a_few_minutes(client, clock):
    p = open_statement()
    for n in range(10):
        assert sign_on(client, p, n).status_code == 303, n
        clock.advance(20)
    assert signature_count() == 10


def test_the_eleventh_in_ten_minutes_waits_and_keeps_what_was_typed(client, clock):
    p = open_statement()
    for n in range(10):
        assert sign_on(client, p, n).status_code == 303
    refused = sign_on(client, p, 10)
    assert refused.status_code == 429
    assert "Too many organisations have signed from your connection" in refused.text
    assert "Test Organisation 10" in refused.text and "Visitor 10" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert signature_count() == 10
    clock.advance(601)
    assert sign_on(client, p, 10).status_code == 303
    assert signature_count() == 11


def test_the_limit_is_per_connection_and_per_statement(client, clock):
    p = open_statement()
    other = open_statement()
    for n in range(10):
        assert sign_on(client, p, n, "10.1.1.1").status_code == 303
    assert sign_on(client, p, 10, "10.1.1.1").status_code == 429
    assert sign_on(client, p, 11, "10.2.2.2").status_code == 303  # another connection, same statement
    assert sign_on(client, other, 12, "10.1.1.1").status_code == 303  # same connection, another statement
    assert signature_count() == 12


def test_a_colleague_trying_again_is_told_it_has_signed_however_often_they_try(client, clock):
    p = open_statement()
    assert sign_on(client, p, 1).status_code == 303
    for attempt in range(15):
        clock.advance(20)
        again = sign_on(client, p, 1, email=f"colleague{attempt}@example.org")
        assert again.status_code == 409, attempt
        assert "Too many" not in again.text


def test_refusals_do_not_use_up_the_limit(client, clock):
    p = open_statement()
    assert sign_on(client, p, 0).status_code == 303
    for n in range(12):
        assert sign_on(client, p, n, email="not an address").status_code == 400
        assert sign_on(client, p, 0, email=f"other{n}@example.org").status_code == 409
    for n in range(1, 10):
        assert sign_on(client, p, n).status_code == 303, n


def test_thirty_in_an_hour_from_one_connection_is_the_most(client, clock):
    p = open_statement()
    for n in range(30):
        assert sign_on(client, p, n).status_code == 303, n
        clock.advance(61)
    assert sign_on(client, p, 30).status_code == 429
    clock.advance(3600)
    assert sign_on(client, p, 30).status_code == 303


def test_one_address_is_sent_a_few_confirmation_links_at_most(client, clock, deliver):
    p = open_statement()
    deliver()
    for n in range(3):
        assert sign_on(client, p, n, f"10.3.3.{n}", email="busy@example.org").status_code == 303
    refused = sign_on(client, p, 3, "10.3.3.9", email="busy@example.org")
    assert refused.status_code == 429
    assert "We have sent several confirmation emails to this address recently" in refused.text
    assert sign_on(client, p, 4, "10.3.3.9").status_code == 303  # another address from that connection
    assert [m.recipients for m in deliver()].count(["busy@example.org"]) == 3


def test_an_organisations_signer_hears_of_attempts_to_sign_again_once_an_hour(client, clock, deliver):
    p = open_statement()
    assert sign_on(client, p, 1).status_code == 303
    deliver()
    for n in range(5):
        assert sign_on(client, p, 1, f"10.4.4.{n}", email=f"someone{n}@example.org").status_code == 409
    assert len(deliver()) == 1
    clock.advance(3601)
    assert sign_on(client, p, 1, email="later@example.org").status_code == 409
    assert len(deliver()) == 1


def test_sign_ons_arriving_together_cannot_squeeze_past_the_limit(app, clock):
    p = open_statement()
    slug = p.statement.slug
    clients = [app.test_client() for _ in range(14)]
    tokens = [c.csrf_token() for c in clients]

    def attempt(n: int):
        return lambda: (
            clients[n]
            .post(
                f"/s/{slug}/sign",
                data={**visitor(n), "csrf_token": tokens[n]},
                environ_base={"REMOTE_ADDR": "10.5.5.5"},
            )
            .status_code
        )

    statuses = at_once(*(attempt(n) for n in range(14)))
    assert sorted(set(statuses)) == [303, 429]
    assert statuses.count(303) == 10
    assert signature_count() == 10


def test_the_honeypot_looks_like_success_saves_nothing_and_counts_towards_the_limit(client, deliver, clock):
    p = open_statement()
    deliver()
    bot = sign_on(client, p, 1, leave_empty="https://spam.example")
    assert bot.status_code == 303
    assert "Check your email" in client.get(bot.headers["Location"]).text
    assert signature_count() == 0
    assert deliver() == []
    for n in range(2, 11):
        assert sign_on(client, p, n, leave_empty="x").status_code == 303
    assert sign_on(client, p, 11, leave_empty="x").status_code == 429


@pytest.mark.parametrize(
    "address",
    ["someone@mailinator.com", "Someone@MAILINATOR.COM", "someone@mailinator.com.", "someone@eu.mailinator.com"],
)
def test_disposable_addresses_are_refused_however_they_are_written(address):
    assert "disposable email services cannot be used" in (disposable_email_problem(address) or "")


@pytest.mark.parametrize("address", ["chair@riverside-trust.org.uk", "clerk@northshire.gov.uk", "pat@gmail.com"])
def test_ordinary_addresses_are_accepted(address):
    assert disposable_email_problem(address) is None


def test_a_disposable_address_is_refused_with_everything_typed_kept(client):
    p = open_statement()
    refused = sign_on(client, p, 1, email="chair@yopmail.com")
    assert refused.status_code == 400
    assert "disposable email services cannot be used" in refused.text
    assert "Test Organisation 1" in refused.text and "Visitor 1" in refused.text
    assert signature_count() == 0
    assert (
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "chair@yopmail.com")).all() == []
    )


def test_a_confirmation_link_works_once_and_opened_again_says_kindly_that_the_signature_is_confirmed(client):
    p = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    path = f"/s/{p.statement.slug}/confirm/{signature_token(signature, 'confirm')}"
    assert client.post(path).status_code == 303
    for method in (client.get, client.post):
        again = method(path)
        assert again.status_code == 200
        assert "Your signature is already confirmed" in again.text
        assert "There is a problem" not in again.text
    assert totals(p.statement.id).total == 1


def test_a_confirmation_link_of_a_withdrawn_signature_says_it_was_withdrawn(client):
    p = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    path = f"/s/{p.statement.slug}/confirm/{signature_token(signature, 'confirm')}"
    client.post(path)
    services.withdraw_by_link(signature_token(db.session.get(Signature, signature.id), "withdraw"), p.statement)
    db.session.commit()
    again = client.get(path)
    assert again.status_code == 400
    assert "Hillside Tenants Group’s signature has been withdrawn" in again.text


def test_an_expired_confirmation_link_is_refused_and_says_why(client):
    p = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    old = token_made_ago("signature", {"s": signature.id, "n": signature.nonce, "a": "confirm"}, 8 * 24 * 3600)
    for method in (client.get, client.post):
        refused = method(f"/s/{p.statement.slug}/confirm/{old}")
        assert refused.status_code == 400
        assert "This link has expired: it lasted 7 days." in refused.text
    assert db.session.get(Signature, signature.id).status == SignatureStatus.PENDING


def test_an_expired_withdrawal_link_is_refused(client):
    p = open_statement()
    signature = confirmed(p.statement, make_organisation("Hillside Tenants Group"))
    old = token_made_ago("signature", {"s": signature.id, "n": signature.nonce, "a": "withdraw"}, 91 * 24 * 3600)
    refused = client.post(f"/s/{p.statement.slug}/withdraw/{old}", data={"reason": ""})
    assert refused.status_code == 400 and "it lasted 90 days" in refused.text
    assert db.session.get(Signature, signature.id).status == SignatureStatus.CONFIRMED


def test_links_from_before_a_signature_was_withdrawn_and_made_again_no_longer_work(client):
    p = open_statement()
    organisation = make_organisation("Hillside Tenants Group")
    first = confirmed(p.statement, organisation)
    old_withdraw = signature_token(first, "withdraw")
    assert client.post(f"/s/{p.statement.slug}/withdraw/{old_withdraw}", data={"reason": ""}).status_code == 303
    again = sign(p.statement, organisation)
    assert again.id == first.id  # the same row, with a fresh nonce
    stale = client.post(f"/s/{p.statement.slug}/withdraw/{old_withdraw}", data={"reason": ""})
    assert stale.status_code == 400 and "already been used" in stale.text
    assert db.session.get(Signature, first.id).status == SignatureStatus.PENDING


def test_a_link_for_one_action_or_statement_does_not_work_for_another(client):
    p = open_statement()
    other = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    confirm_token = signature_token(signature, "confirm")
    assert client.post(f"/s/{p.statement.slug}/withdraw/{confirm_token}", data={"reason": ""}).status_code == 400
    assert client.post(f"/s/{other.statement.slug}/confirm/{confirm_token}").status_code == 400
    assert client.post(f"/s/{p.statement.slug}/confirm/{confirm_token}x").status_code == 400
    assert db.session.get(Signature, signature.id).status == SignatureStatus.PENDING


def test_unconfirmed_signatures_expire_and_their_links_stop_working(client, app):
    p = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    token = signature_token(signature, "confirm")
    signature.created_at = utcnow() - timedelta(days=7, minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["expire-signatures"])
    assert result.exit_code == 0, result.output
    refused = client.post(f"/s/{p.statement.slug}/confirm/{token}")
    assert refused.status_code == 400
    assert db.session.get(Signature, signature.id).status == SignatureStatus.EXPIRED
