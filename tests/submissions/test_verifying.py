"""Packs anyone can verify: each frozen list has a SHA-256 digest of a documented canonical form, printed in the
pack with /verify/<digest>, where the statement, revision, date sent and the list as held can be seen."""

import hashlib
import io
from datetime import date

from pypdf import PdfReader

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from tests.signatures.builders import confirmed, signing_organisation
from tests.submissions.builders import AGREED_AT, make_target, send, signed_statement


def statement_with_identified_signatories():
    p = signed_statement("Riverside Community Trust")
    with clock_at(AGREED_AT):
        charity, signatory = signing_organisation("Alpha Trust", charity_number="1234567")
        confirmed(p.statement, charity, signatory)
        council, clerk = signing_organisation(
            "Westshire District Council", kind=OrganisationKind.COUNCIL, gss_code="E07000999"
        )
        confirmed(p.statement, council, clerk)
    return p


def test_the_digest_is_the_sha256_of_the_documented_canonical_text(client):
    p = statement_with_identified_signatories()
    [submission] = send(p, make_target("HM Treasury"), sent_on=date(2026, 11, 2))
    expected = (
        "Common Ground signatory list, version 1\n"
        f"Statement: {p.statement.slug}\n"
        "Revision: 1\n"
        "Target: HM Treasury\n"
        "Sent: 2026-11-02\n"
        "Signatories: 3, 3 named\n"
        "GB-CHC-1234567\tAlpha Trust\n"
        "-\tRiverside Community Trust\n"
        "E07000999\tWestshire District Council\n"
    )
    assert submission.digest == hashlib.sha256(expected.encode()).hexdigest()
    text = client.get(f"/verify/{submission.digest}.txt")
    assert text.status_code == 200 and text.text == expected


def test_anyone_can_check_a_printed_pack_at_its_verify_address(client):
    p = statement_with_identified_signatories()
    [submission] = send(p, make_target("HM Treasury"), sent_on=date(2026, 11, 2))
    client.login(p.council_editor)
    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages]
    address = f"/verify/{submission.digest}"
    assert all(address in page for page in pages)  # on every page
    assert "Alpha Trust (GB-CHC-1234567)" in pages[-1] and "Westshire District Council (E07000999)" in pages[-1]
    assert address in client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack").text
    client.logout()

    page = client.get(address)  # no account needed
    assert page.status_code == 200
    for text in (
        "Fund councils fairly",
        "Revision 1",
        "HM Treasury",
        "2 November 2026",
        "GB-CHC-1234567",
        "Alpha Trust",
    ):
        assert text in page.text
    assert client.get(f"/verify/{'0' * 64}").status_code == 404
    assert client.get("/verify/not-a-digest").status_code == 404


def test_the_held_list_and_its_digest_never_change_after_later_signatures(client):
    p = statement_with_identified_signatories()
    [submission] = send(p, make_target("HM Treasury"), sent_on=date(2026, 11, 2))
    digest = submission.digest
    late, signatory = signing_organisation("Late Trust")
    confirmed(p.statement, late, signatory)
    db.session.expire_all()
    assert submission.digest == digest
    assert "Late Trust" not in client.get(f"/verify/{digest}").text


def test_a_planned_submission_has_no_digest_until_it_is_sent(client):
    p = statement_with_identified_signatories()
    [planned] = send(p, make_target("HM Treasury"), sent_on=None, today=date(2026, 11, 25))
    assert planned.digest is None
    client.login(p.council_editor)
    assert "/verify/" not in client.get(f"/statements/{p.statement.slug}/submissions/{planned.id}/pack").text
