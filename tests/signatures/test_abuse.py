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
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureStatus
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.statements.builders import Partnership
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


def test_one_address_signs_a_statement_once_a_minute(client, clock):
    p = open_statement()
    assert sign_on(client, p, 1).status_code == 303
    clock.advance(30)
    refused = sign_on(client, p, 2)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert "one organisation a minute" in refused.text
    assert signature_count() == 1
    clock.advance(31)
    assert sign_on(client, p, 3).status_code == 303
    assert signature_count() == 2


def test_the_limit_is_per_address_and_per_statement(client, clock):
    p = open_statement()
    other = open_statement()
    assert sign_on(client, p, 1, "10.1.1.1").status_code == 303
    assert sign_on(client, p, 2, "10.1.1.1").status_code == 429
    assert sign_on(client, p, 3, "10.2.2.2").status_code == 303  # another address, same statement
    assert sign_on(client, other, 4, "10.1.1.1").status_code == 303  # same address, another statement
    assert signature_count() == 3


def test_a_sign_on_with_mistakes_does_not_use_up_the_limit(client, clock):
    p = open_statement()
    for n in range(3):
        assert sign_on(client, p, n, email="not an address").status_code == 400
    assert sign_on(client, p, 9).status_code == 303


def test_a_refused_second_signature_counts_towards_the_limit(client, clock):
    p = open_statement()
    assert sign_on(client, p, 1).status_code == 303
    clock.advance(61)
    again = sign_on(client, p, 1, email="someone.else@example.org")
    assert again.status_code == 409  # the organisation it named has signed
    assert sign_on(client, p, 2).status_code == 429


def test_a_sixth_sign_on_within_five_minutes_is_refused(client, clock):
    p = open_statement()
    for n in range(5):
        assert sign_on(client, p, n).status_code == 303, n
        clock.advance(61)
    clock.advance(-61 + 55)  # the sixth comes 299 seconds after the first
    assert sign_on(client, p, 5).status_code == 429
    assert signature_count() == 5
    clock.advance(6)  # a minute after the fifth, and more than five minutes after the first
    assert sign_on(client, p, 6).status_code == 303


def test_the_honeypot_looks_like_success_saves_nothing_and_counts_towards_the_limit(client, deliver, clock):
    p = open_statement()
    deliver()
    bot = sign_on(client, p, 1, leave_empty="https://spam.example")
    assert bot.status_code == 303
    assert "Check your email" in client.get(bot.headers["Location"]).text
    assert signature_count() == 0
    assert deliver() == []
    assert sign_on(client, p, 2, leave_empty="x").status_code == 429


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


def test_a_confirmation_link_works_once(client):
    p = open_statement()
    signature = sign(p.statement, make_organisation("Hillside Tenants Group"))
    path = f"/s/{p.statement.slug}/confirm/{signature_token(signature, 'confirm')}"
    assert client.post(path).status_code == 303
    for method in (client.get, client.post):
        again = method(path)
        assert again.status_code == 400
        assert "already been used" in again.text or "already been dealt with" in again.text


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
