"""DKIM: a key made by `flask dkim-key`, every message signed with it, the signature checked from the raw bytes."""

from __future__ import annotations

import re

import dkim
import pytest

from campaigns.mailings import services as mailing_services
from campaigns.outbox.models import OutboxStatus
from tests.mailings.builders import signatories, update
from tests.outbox.helpers import queue_password_changed
from tests.support.wire import check_message, header

DOMAIN = "northshire.example.org"


@pytest.fixture
def dkim_key(app, tmp_path, monkeypatch):
    """A key pair made by the command, configured as the README says; returns the TXT record it printed."""
    key_path = tmp_path / "keys" / "dkim.pem"
    result = app.test_cli_runner().invoke(
        args=["dkim-key", "--selector", "cg2026", "--domain", DOMAIN, "--out", str(key_path)]
    )
    assert result.exit_code == 0, result.output
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert f"Name:  cg2026._domainkey.{DOMAIN}" in result.output
    record = re.search(r"Value: (v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+)", result.output).group(1)
    zone = re.search(r"IN TXT \( (.*) \)", result.output).group(1)
    assert "".join(re.findall(r'"([^"]*)"', zone)) == record, "the zone file line holds the same record"
    assert all(len(part) <= 255 for part in re.findall(r'"([^"]*)"', zone))
    for name, value in (("SELECTOR", "cg2026"), ("DOMAIN", DOMAIN), ("KEY_PATH", str(key_path))):
        assert f"CAMPAIGNS_DKIM_{name}={value}" in result.output
        monkeypatch.setitem(app.config, f"CAMPAIGNS_DKIM_{name}", value)
    return record.encode()


def verified(raw: bytes, record: bytes) -> bool:
    """Check the signature as a receiving server would, the DNS lookup answered with the published record."""

    def dns(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == f"cg2026._domainkey.{DOMAIN}.".encode() else None

    return dkim.verify(raw, dnsfunc=dns)


def test_a_transactional_email_is_signed_and_the_signature_verifies_from_the_raw_bytes(app, deliver, dkim_key):
    queue_password_changed("ada@example.org")

    [received] = deliver()

    check_message(received.raw)
    signature = header(received.raw, "DKIM-Signature")
    assert f"d={DOMAIN};" in signature and "s=cg2026;" in signature
    assert verified(received.raw, dkim_key)
    tampered = received.raw.replace(b"password has been changed", b"password has been stolen")
    assert not verified(tampered, dkim_key)


def test_an_update_is_signed_over_its_one_click_unsubscribe_headers(app, deliver, dkim_key):
    s = signatories(1)
    mailing_services.send(update(s.p), actor=s.p.council_editor)
    received = [r for r in deliver() if b"\r\nList-Unsubscribe:" in r.raw]

    [message] = received
    check_message(message.raw, update=True)
    assert verified(message.raw, dkim_key)
    signed = header(message.raw, "DKIM-Signature").replace(" ", "").replace("\t", "")
    signed_headers = re.search(r"h=([^;]+)", signed).group(1).split(":")
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "subject"} <= set(signed_headers)
    assert signed_headers.count("from") == 2, "From is signed once more than it appears, so none can be added"
    other = message.raw.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: No")
    assert not verified(other, dkim_key)


def test_without_a_key_nothing_is_signed(app, deliver):
    queue_password_changed("ada@example.org")
    [received] = deliver()
    assert header(received.raw, "DKIM-Signature") is None


def test_a_key_that_cannot_be_read_holds_mail_back_rather_than_sending_it_unsigned(app, deliver, dkim_key, caplog):
    app.config["CAMPAIGNS_DKIM_KEY_PATH"] += ".missing"
    message = queue_password_changed("ada@example.org")

    assert deliver() == []

    assert message.status == OutboxStatus.QUEUED
    assert message.last_error.startswith("Could not DKIM-sign the message: Cannot read the DKIM key")
    assert "Could not DKIM-sign message" in caplog.text


def test_the_command_refuses_to_overwrite_a_key(app, tmp_path):
    existing = tmp_path / "dkim.pem"
    existing.write_text("an old key")
    result = app.test_cli_runner().invoke(
        args=["dkim-key", "--selector", "s", "--domain", DOMAIN, "--out", str(existing)]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert existing.read_text() == "an old key"
