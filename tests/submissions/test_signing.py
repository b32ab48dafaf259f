"""Submission packs are digitally signed (pyHanko) when a signing certificate is configured; the certificate is
made here, in the test."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tests.submissions.builders import make_target, send, signed_statement


def in_a_thread_of_its_own(function, *args):
    """Run `function` where no event loop runs: pyHanko's validation starts one (asyncio.run), and in a test process
    that has driven a browser (Playwright) the main thread may already have one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def validated(signature, trusted):
    return in_a_thread_of_its_own(validate_pdf_signature, signature, trusted)


@pytest.fixture
def signing_certificate(app, tmp_path):
    """A self-signed certificate and key for "Common Ground packs", configured for the app while the test runs."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Common Ground packs (test)")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    app.config.update(CAMPAIGNS_PACK_SIGNING_KEY=str(key_path), CAMPAIGNS_PACK_SIGNING_CERT=str(cert_path))
    yield cert_path
    app.config.update(CAMPAIGNS_PACK_SIGNING_KEY=None, CAMPAIGNS_PACK_SIGNING_CERT=None)


def test_a_pack_is_signed_with_the_configured_certificate_and_the_signature_covers_it(client, signing_certificate):
    p = signed_statement("Riverside Community Trust")
    [submission] = send(p, make_target(), sent_on=date(2026, 11, 2))
    client.login(p.council_editor)
    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf").data

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    trusted = ValidationContext(trust_roots=[load_cert_from_pemder(str(signing_certificate))])
    status = validated(signature, trusted)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Common Ground packs (test)" in status.signing_cert.subject.human_friendly

    inside = pdf.index(b"stream") + 20  # a byte of the first page's (compressed) content
    tampered = pdf[:inside] + bytes([pdf[inside] ^ 1]) + pdf[inside + 1 :]
    [changed] = PdfFileReader(io.BytesIO(tampered)).embedded_signatures
    assert not validated(changed, trusted).intact


def test_without_a_certificate_packs_are_not_signed(client):
    p = signed_statement("Riverside Community Trust")
    [submission] = send(p, make_target(), sent_on=date(2026, 11, 2))
    client.login(p.council_editor)
    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf").data
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []


def test_a_pack_is_signed_even_where_an_event_loop_is_running(client, signing_certificate):
    p = signed_statement("Riverside Community Trust")
    [submission] = send(p, make_target(), sent_on=date(2026, 11, 2))
    client.login(p.council_editor)
    path = f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf"

    async def fetch() -> bytes:
        return client.get(path).data  # a request served while this thread runs an event loop

    pdf = in_a_thread_of_its_own(asyncio.run, fetch())  # a loop of the test's own, wherever the test runs
    assert len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures) == 1
