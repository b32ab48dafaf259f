"""Signatories as CSV: the public fields for anyone, everything for the statement's owners, streamed and safe."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures import exports, services
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import SignatureStatus
from campaigns.signatures.public_list import Filters
from tests.factories import make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, sign
from tests.signatures.test_public_list import new_agreed_revision

BOM = b"\xef\xbb\xbf"


def parsed(response) -> list[dict[str, str]]:
    return rows_of(response.data)


def rows_of(data: bytes) -> list[dict[str, str]]:
    """The rows of a whole file: it ends with the line that says so, with the number of rows above it."""
    assert data.startswith(BOM)
    text = data.decode("utf-8-sig")
    body, marker = text.removesuffix("\r\n").rsplit("\r\n", 1)
    rows = list(csv.DictReader(io.StringIO(body + "\r\n")))
    assert marker == f"# complete: {len(rows)} rows"
    return rows


def header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_anyone_downloads_the_public_list_with_the_public_fields_only(client):
    p = open_statement()
    council = make_organisation(
        "Westshire Council", kind=OrganisationKind.COUNCIL, region="south_west", gss_code="E07000999"
    )
    confirmed(p.statement, council, signer_name="Cllr Ann Jones", signer_role="Leader", comment="Long overdue.")
    confirmed(p.statement, make_organisation("Quiet Trust"), list_publicly=False)
    sign(p.statement, make_organisation("Pending Trust"))
    response = client.get(f"/s/{p.statement.slug}/signatories.csv")
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # streamed as it is written
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{p.statement.slug}-signatories.csv"'
    assert header(response) == list(exports.PUBLIC_COLUMNS)
    (row,) = parsed(response)
    assert row == {
        "Organisation": "Westshire Council",
        "Identifier": "E07000999",
        "Kind": "Council",
        "Type": "District council",
        "Region": "South West",
        "Verified organisation": "Yes",
        "Signed by": "Cllr Ann Jones",
        "Role": "Leader",
        "Comment": "Long overdue.",
        "Date signed": row["Date signed"],
        "Version signed": f"The agreed text (revision {p.statement.agreed_revision.number})",
    }
    assert len(row["Date signed"]) == 10
    assert b"@" not in response.data  # no email address of anyone


def test_the_public_download_keeps_the_readers_filters(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Westshire Council", kind=OrganisationKind.COUNCIL))
    confirmed(p.statement, make_organisation("Westshire Food Bank"))
    confirmed(p.statement, make_organisation("Eastshire Food Bank"))
    page = client.get(f"/s/{p.statement.slug}/signatories?q=westshire&kind=vcs")
    assert f"/s/{p.statement.slug}/signatories.csv?kind=vcs&amp;q=westshire" in page.text
    rows = parsed(client.get(f"/s/{p.statement.slug}/signatories.csv?kind=vcs&q=westshire"))
    assert [row["Organisation"] for row in rows] == ["Westshire Food Bank"]


def test_owners_download_every_signature_with_contact_details_status_and_consents(client):
    p = open_statement()
    listed = confirmed(
        p.statement,
        make_organisation("Listed Trust", charity_number="SC012345"),
        signer_email="ann@listed.example.org",
        may_contact=frozenset({p.charity.id}),  # the co-author whose editor downloads below
    )
    sign(p.statement, make_organisation("Pending Trust"), signer_email="pat@pending.example.org", wants_updates=True)
    withdrawn = confirmed(p.statement, make_organisation("Withdrawn Trust"))
    services.withdraw_by_link(signature_token(withdrawn, "withdraw"), p.statement, reason="Board said no")
    hidden = confirmed(p.statement, make_organisation("Hidden Trust"))
    services.hide(hidden, actor=p.council_editor, reason="Not a real organisation")
    db.session.commit()
    confirmed(p.statement, make_organisation("Quiet Trust"), list_publicly=False)

    client.login(p.charity_editor)  # an editor of a co-author organisation
    response = client.get(f"/statements/{p.statement.slug}/signatures.csv")
    assert response.status_code == 200
    assert "Content-Length" not in response.headers
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{p.statement.slug}-signatures-')
    assert header(response) == list(exports.OWNER_COLUMNS)
    rows = {row["Organisation"]: row for row in parsed(response)}
    assert rows["Listed Trust"]["Identifier"] == "GB-SC-SC012345" and rows["Pending Trust"]["Identifier"] == ""
    assert {name: row["Status"] for name, row in rows.items()} == {
        "Listed Trust": "Confirmed",
        "Pending Trust": "Awaiting confirmation",
        "Withdrawn Trust": "Withdrawn",
        "Hidden Trust": "Hidden",
        "Quiet Trust": "Confirmed",
    }
    assert rows["Listed Trust"]["Signer email"] == "ann@listed.example.org"
    assert rows["Listed Trust"]["Counted"] == "Yes" and rows["Pending Trust"]["Counted"] == "No"
    assert rows["Quiet Trust"]["Agreed to be listed publicly"] == "No"
    assert rows["Pending Trust"]["Agreed to receive updates"] == "Yes"
    assert "Ticked: List the organisation publicly" in rows["Listed Trust"]["Consent wording"]
    assert rows["Listed Trust"]["Confirmed (UK time)"].startswith(f"{listed.confirmed_at:%Y-}")
    assert rows["Withdrawn Trust"]["Withdrawal reason"] == "Board said no"
    assert rows["Hidden Trust"]["Hidden reason"] == "Not a real organisation"


def test_a_signature_of_an_earlier_version_shows_in_both_downloads(client):
    p = open_statement()
    first = p.statement.agreed_revision.number
    confirmed(p.statement, make_organisation("Early Trust"))
    new_agreed_revision(p)
    (public,) = parsed(client.get(f"/s/{p.statement.slug}/signatories.csv"))
    assert public["Version signed"] == f"An earlier version (revision {first})"
    client.login(p.council_editor)
    (owner,) = parsed(client.get(f"/statements/{p.statement.slug}/signatures.csv"))
    assert owner["Status"] == "Signed an earlier version"
    assert owner["Revision signed"] == str(first)
    assert owner["Asked to confirm revision"] == str(p.statement.agreed_revision.number)


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(client):
    p = open_statement()
    confirmed(
        p.statement,
        make_organisation('=HYPERLINK("http://evil.example","Click")'),
        signer_name="+Pat",
        signer_role="-2+3",
        comment="@SUM(A1:A9)",
    )
    confirmed(p.statement, make_organisation("Tab Trust"), signer_name="\tTabbed", signer_role="Chair")
    rows = parsed(client.get(f"/s/{p.statement.slug}/signatories.csv"))
    evil = next(row for row in rows if "HYPERLINK" in row["Organisation"])
    assert evil["Organisation"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert (evil["Signed by"], evil["Role"], evil["Comment"]) == ("'+Pat", "'-2+3", "'@SUM(A1:A9)")
    client.login(p.council_editor)
    owner_rows = parsed(client.get(f"/statements/{p.statement.slug}/signatures.csv"))
    assert {row["Signer name"] for row in owner_rows} == {"'+Pat", "'\tTabbed"}


def test_a_long_list_is_written_in_batches_without_losing_or_repeating_a_row(app, client, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 3)
    p = open_statement()
    names = [f"Trust {n:02}" for n in range(8)]
    for name in names:
        confirmed(p.statement, make_organisation(name))
    response = client.get(f"/s/{p.statement.slug}/signatories.csv")
    pieces = list(response.iter_encoded())
    assert len(pieces) == 4  # the header, then a piece per batch of rows: written as it is read
    assert "Content-Length" in client.get(f"/s/{p.statement.slug}/signatories").headers  # (a page is not)
    assert [row["Organisation"] for row in rows_of(b"".join(pieces))] == names[::-1]
    client.login(p.council_editor)
    owner = parsed(client.get(f"/statements/{p.statement.slug}/signatures.csv"))
    assert [row["Organisation"] for row in owner] == names

    # The view hands back a generator, not a finished file.
    with app.test_request_context(f"/s/{p.statement.slug}/signatories.csv"):
        response = app.view_functions["signatures.signatories_csv"](slug=p.statement.slug)
        assert response.is_streamed
        assert len(rows_of(b"".join(response.iter_encoded()))) == len(names)


def test_a_download_cut_off_on_the_way_cannot_be_taken_for_the_whole_list(client, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)
    p = open_statement()
    for n in range(5):
        confirmed(p.statement, make_organisation(f"Trust {n:02}"))
    client.login(p.council_editor)
    for path in (f"/s/{p.statement.slug}/signatories.csv", f"/statements/{p.statement.slug}/signatures.csv"):
        pieces = list(client.get(path).iter_encoded())
        whole = b"".join(pieces)
        assert whole.endswith(b"\r\n# complete: 5 rows\r\n")
        assert len(rows_of(whole)) == 5
        # Stopped half-way (the header and the first batch arrived): no marker, and no way to mistake it.
        cut = b"".join(pieces[:2]).decode("utf-8-sig")
        assert cut.count("\r\n") == 3 and "# complete" not in cut


def test_the_owners_download_is_refused_to_everyone_else(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Listed Trust"), signer_email="ann@listed.example.org")
    url = f"/statements/{p.statement.slug}/signatures.csv"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/sign-in")
    client.login(make_user())
    assert client.get(url).status_code == 404
    client.login(p.reviewer_member)  # takes part as a reviewer, but is not an owner
    refused = client.get(url)
    assert refused.status_code == 403 and b"ann@listed" not in refused.data
    client.login(p.council_member)  # a member of the lead council, not an editor
    assert client.get(url).status_code == 403


def test_before_the_launch_only_the_owners_can_download(client):
    p = open_statement()
    saved = services.saved_settings(p.statement)
    saved.launch_at = utcnow() + timedelta(days=1)
    db.session.commit()
    response = client.get(f"/s/{p.statement.slug}/signatories.csv")
    assert response.status_code == 404
    assert "published when the statement is launched" in response.text
    client.login(p.council_editor)
    assert client.get(f"/statements/{p.statement.slug}/signatures.csv").status_code == 200


def reference_owner_file(statement_id: int, viewer_id: int) -> bytes:
    """The owners' file for the people of author organisation `viewer_id`, as the Python writer makes it (what
    SQLite serves)."""
    return "".join(exports.csv_text(exports.OWNER_COLUMNS, exports.owner_rows(statement_id, viewer_id))).encode()


def test_postgresql_writes_the_same_bytes_as_the_python_writer_for_awkward_rows(client):
    # On PostgreSQL the database writes each line (export_lines.py); the Python writer is the reference. On SQLite
    # both sides are the Python writer.
    p = open_statement()
    awkward = [
        ('Comma, Quote "and" Trust', "=1+2", "-Role", 'He said "yes", twice'),
        ("Newline\nTrust", "+Pat", "@Chair", "Line one\r\nline two"),
        ("Tab\tTrust", "\tTabbed", "Chair", "\rCarriage"),
        ("Ünïcödé “Curly” Trust", "Zoë", "Présidente", "Ça va — oui"),
        ("Plain Trust", "Pat", "Chair", ""),
        ("Apostrophe's Trust", "'Quoted", "", "'"),
    ]
    signatures = []
    for n, (name, signer, role, comment) in enumerate(awkward):
        numbers = [{"charity_number": "SC012345"}, {"charity_number": "NIC100001"}, {"charity_number": "1234567"}]
        extra = numbers[n] if n < 3 else ({"company_number": "01234567"} if n == 3 else {})
        organisation = make_organisation(name, region=["london", "wales", "uk_wide"][n % 3], **extra)
        # Some agreed that the lead council (whose editor downloads) may contact them: their address shows.
        fields = {"signer_name": signer, "signer_role": role, "comment": comment}
        if n % 3 != 1:
            fields["may_contact"] = frozenset({p.council.id})
        signatures.append(
            confirmed(p.statement, organisation, **fields) if n % 2 == 0 else sign(p.statement, organisation, **fields)
        )
    council = make_organisation("Westshire Council", kind=OrganisationKind.COUNCIL, gss_code="E07000999")
    confirmed(p.statement, council)
    services.withdraw_by_link(signature_token(signatures[0], "withdraw"), p.statement, reason="No, sorry")
    services.hide(signatures[2], actor=p.council_editor, reason='"Not real", we think')
    db.session.commit()
    # Summer and winter times, and the states only time brings: lapsed, expired, asked to confirm a newer text.
    signatures[4].confirmed_at = signatures[4].confirmed_at.replace(month=7, day=1, hour=23, minute=30)
    signatures[4].lapsed_at = signatures[4].confirmed_at
    signatures[1].created_at = signatures[1].created_at.replace(month=1, day=1, hour=0, minute=5)
    signatures[3].status = SignatureStatus.EXPIRED
    db.session.commit()
    new_agreed_revision(p)

    client.login(p.council_editor)
    served = client.get(f"/statements/{p.statement.slug}/signatures.csv").data
    assert served == reference_owner_file(p.statement.id, p.council.id)
    assert served.count(b"pat@riverside.example.org") == 4
    assert len(rows_of(served)) == len(awkward) + 1

    for query in ("", "?q=trust", "?kind=vcs&region=london", "?q=%25_"):
        served = client.get(f"/s/{p.statement.slug}/signatories.csv{query}").data
        filters = Filters.parse(*(parse_qs(query[1:]).get(name, [None])[0] for name in ("kind", "region", "q")))
        reference = exports.csv_text(
            exports.PUBLIC_COLUMNS,
            exports.public_rows(p.statement.id, services.settings_for(p.statement), filters),
        )
        assert served == "".join(reference).encode(), query
