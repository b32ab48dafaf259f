"""The submissions pages: recording, replies, files, packs, the public record and the calendar feed."""

import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaigns.extensions import db
from campaigns.submissions import services
from campaigns.submissions.dashboard_views import calendar_key
from campaigns.submissions.models import (
    Attachment,
    Response,
    ResponseKind,
    Submission,
    SubmissionSignatory,
    SubmissionStatus,
    Target,
)
from campaigns.submissions.services import ResponseDetails
from tests.factories import make_user
from tests.statements.builders import partnership
from tests.submissions.builders import make_target, send, signed_statement


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _form(*targets: Target, **fields) -> dict:
    data = {
        "targets": [str(t.id) for t in targets],
        "status": "sent",
        "channel": "email",
        "sent_on": ["2", "11", "2026"],
        "reference": "LGF/1",
        "sent_by": "Carla Council",
    }
    data.update(fields)
    return data


def test_an_editor_records_a_submission_to_two_targets_at_once(client):
    p = signed_statement("Alpha Trust")
    treasury, dwp = make_target("HM Treasury"), make_target("Department for Work and Pensions")
    client.login(p.council_editor)
    page = client.get(f"/statements/{p.statement.slug}/submissions/new")
    assert page.status_code == 200 and "HM Treasury" in page.text
    response = client.post(f"/statements/{p.statement.slug}/submissions/new", data=_form(treasury, dwp))
    assert response.status_code == 302
    timeline = client.get(f"/statements/{p.statement.slug}/submissions")
    assert "HM Treasury" in timeline.text and "Department for Work and Pensions" in timeline.text
    assert "reply expected by 30 November 2026" in timeline.text
    assert _count(Submission) == 2
    assert _count(SubmissionSignatory) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sent_on": ["1", "1", "2099"]}, "today or in the past"),
        ({"sent_on": ["31", "2", "2026"]}, "Date sent must be a real date"),
        ({"sent_on": ["", "", ""]}, "Enter the date it was sent"),
        ({"sent_on": ["2", "", "2026"]}, "Date sent must include a month"),
        ({"sent_on": ["2", "11", "26"]}, "Year must include 4 numbers"),
        ({"sent_on": ["2", "Novembr", "2026"]}, "Date sent must be a real date"),
        ({"targets": ["999999"]}, "We could not find that target"),
        ({"targets": ["99999999999999999999"]}, "Choose targets from the list"),
        ({"targets": ["HM Treasury"]}, "Choose targets from the list"),
        ({"targets": []}, "Choose at least one target"),
        ({"channel": "pigeon"}, "Not a valid choice"),
    ],
)
def test_bad_submissions_are_refused_with_a_message_and_nothing_is_saved(client, fields, message):
    p = signed_statement()
    target = make_target()
    client.login(p.council_editor)
    response = client.post(f"/statements/{p.statement.slug}/submissions/new", data=_form(target, **fields))
    assert 400 <= response.status_code < 500
    assert message in response.text
    assert _count(Submission) == 0


#: A reply as the form sends it.
REPLY = {
    "kind": "full",
    "received_on": ["1", "11", "2026"],
    "from_whom": "Chief Secretary",
    "summary": "We will consider it.",
    "stance": "partly",
    "is_public": "y",
}


def test_a_date_that_cannot_be_read_comes_back_as_typed_with_the_box_at_fault_marked(client):
    p = signed_statement()
    target = make_target()
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/new", data=_form(target, sent_on=["2", "13", "2026"])
    )
    assert response.status_code == 400
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" id="sent_on-month"' in (
        response.text
    )
    assert 'id="sent_on-day" name="sent_on" type="text" value="2"' in response.text
    assert 'href="#sent_on-month"' in response.text
    assert _count(Submission) == 0


def test_a_reply_date_and_a_promised_date_that_cannot_be_read_are_refused_on_their_own_fields(client):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}"
    dates = client.post(f"{url}/dates", data={"expected_by": ["14", "12", "2026"], "promised_by": ["30", "2", "2027"]})
    assert dates.status_code == 400 and "Date a reply was promised by must be a real date" in dates.text
    reply = client.post(f"{url}/responses/new", data={**REPLY, "received_on": ["", "11", ""]})
    assert reply.status_code == 400 and "Date received must include a day and year" in reply.text
    assert _count(Response) == 0


def test_a_statement_that_is_not_agreed_cannot_be_recorded_as_sent(client):
    p = partnership()
    target = make_target()
    client.login(p.council_editor)
    response = client.post(f"/statements/{p.statement.slug}/submissions/new", data=_form(target))
    assert response.status_code == 409
    assert "Only an agreed statement can be sent" in response.text
    assert _count(Submission) == 0


def test_a_reply_is_logged_and_one_before_sending_is_refused(client):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}/responses/new"
    reply = REPLY
    refused = client.post(url, data=reply)
    assert refused.status_code == 400 and "before the submission was sent" in refused.text
    assert _count(Response) == 0
    assert client.post(url, data={**reply, "received_on": ["20", "11", "2026"]}).status_code == 302
    page = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}")
    assert "Full reply from Chief Secretary" in page.text
    assert db.session.get(Submission, submission.id).status == SubmissionStatus.RESPONDED


def test_the_expected_date_can_be_changed_but_not_to_before_sending(client):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}/dates"
    bad = client.post(url, data={"expected_by": ["1", "10", "2026"], "promised_by": ["", "", ""]})
    assert bad.status_code == 400 and "on or after the date sent" in bad.text
    good = client.post(url, data={"expected_by": ["14", "12", "2026"], "promised_by": ["", "", ""]})
    assert good.status_code == 302
    assert db.session.get(Submission, submission.id).expected_by == date(2026, 12, 14)


def _zip(*members: tuple[str, str]) -> bytes:
    """A zip archive holding `members` (name, text) in order, as DOCX and ODT files are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


def _docx() -> bytes:
    return _zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))


def _odt() -> bytes:
    return _zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>"))


def _zip_of_other_things() -> bytes:
    return _zip(("evil.exe", "MZ"))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
ELF = b"\x7fELF" + b"\x00" * 100
HTML = b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("filename", "content"),
    [("letter.pdf", PNG), ("reply.docx", _zip_of_other_things()), ("reply.odt", HTML), ("setup.pdf", ELF)],
)
def test_a_file_of_another_type_behind_an_allowed_name_is_refused(client, filename, content):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments",
        data={"file": (io.BytesIO(content), filename)},
    )
    assert response.status_code == 400
    assert "must be a PDF, a Word document (DOCX) or an OpenDocument text (ODT)" in response.text
    assert _count(Attachment) == 0


def test_a_file_of_a_few_megabytes_is_accepted_though_other_requests_are_smaller(client):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    content = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(content), "report.pdf"), "csrf_token": client.csrf_token()}
    )
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Attachment)).one().size == len(content)


def test_a_file_over_ten_megabytes_is_refused(client):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    big = FileStorage(io.BytesIO(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)), "big.pdf", content_type="application/pdf")
    # Encoded here, in memory: the test client would otherwise spool the body to a file it never closes.
    boundary, body = encode_multipart({"file": big, "csrf_token": client.csrf_token()})
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert _count(Attachment) == 0


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [("a.pdf", b"%PDF-1.7\n%%EOF", "pdf"), ("b.docx", None, "docx"), ("c.odt", None, "odt")],
)
def test_pdf_docx_and_odt_files_are_kept_and_served_only_to_the_statements_organisations(
    client, filename, content, kind
):
    content = content or (_docx() if kind == "docx" else _odt())
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments"
    assert client.post(url, data={"file": (io.BytesIO(content), filename)}).status_code == 302
    attachment = db.session.scalars(sa.select(Attachment)).one()
    download = client.get(f"{url}/{attachment.id}")
    assert download.status_code == 200 and download.data == content
    download.close()
    client.logout()
    client.login(make_user())
    assert client.get(f"{url}/{attachment.id}").status_code == 404


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_pack_holds_the_title_every_ask_and_every_signatory(client):
    names = [f"Signatory Organisation {n:03d}" for n in range(1, 13)]
    p = signed_statement(*names)
    [submission] = send(p)
    client.login(p.council_member)
    response = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Fund councils fairly" in text
    for ask in p.statement.agreed_revision.asks:
        assert ask in text
    for name in names:
        assert name in text
    assert "Northshire County Council" in text and "Northshire Food Bank" in text
    html = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack")
    assert all(name in html.text for name in names)


def test_a_thousand_signatory_pack_runs_to_numbered_pages_with_every_name(app):
    from campaigns.submissions.pack import pdf

    p = signed_statement("First Signatory")
    [submission] = send(p)
    for n in range(2, 1001):
        db.session.add(
            SubmissionSignatory(
                submission_id=submission.id,
                position=n,
                name=f"Organisation number {n:04d}",
                kind="vcs" if n % 3 else "council",
                kind_label="Charity",
                region=["North East", "London", "South West"][n % 3],
            )
        )
    submission.signatory_counts = {"vcs": 667, "council": 333}
    db.session.commit()
    reader = PdfReader(io.BytesIO(pdf(submission)))
    assert len(reader.pages) > 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert "Fund councils fairly — sent to HM Treasury" in reader.pages[3].extract_text()
    assert all(f"Organisation number {n:04d}" in text for n in range(2, 1001))


def test_a_targets_public_page_shows_public_replies_and_only_that_a_private_one_came(client):
    p = signed_statement()
    treasury, dwp = make_target("HM Treasury"), make_target("Department for Work and Pensions")
    first, second = send(p, treasury, dwp)
    for submission, public in ((first, True), (second, False)):
        services.record_response(
            submission,
            ResponseDetails(
                kind=ResponseKind.FULL,
                received_on=date(2026, 11, 16),
                from_whom="The Minister",
                summary=f"Secret-or-not summary {public}",
                is_public=public,
            ),
            actor=p.council_editor,
            today=date(2026, 11, 25),
        )
    db.session.commit()
    page = client.get(f"/targets/{treasury.slug}")
    assert "Secret-or-not summary True" in page.text
    assert "100% (1 of 1 answered)" in page.text and "10 working days" in page.text
    private = client.get(f"/targets/{dwp.slug}")
    assert "Secret-or-not summary False" not in private.text
    assert "Full reply received 16 November 2026. Its content is not public." in private.text
    public = client.get(f"/s/{p.statement.slug}")
    assert "Where it was sent" in public.text and "Secret-or-not summary True" in public.text
    assert "Secret-or-not summary False" not in public.text


def test_the_dashboard_filters_by_standing_and_target_and_the_calendar_lists_due_dates(client):
    p = signed_statement()
    treasury, dwp = make_target("HM Treasury"), make_target("Department for Work and Pensions")
    (overdue,) = send(p, treasury, sent_on=date(2026, 10, 1))
    (recent,) = send(p, dwp, sent_on=date(2026, 11, 20))
    client.login(p.charity_signatory)
    url = f"/organisations/{p.charity.slug}/submissions"
    assert "HM Treasury" in client.get(f"{url}?show=overdue").text
    cell = '<td class="govuk-table__cell">{}</td>'
    assert cell.format("Department for Work and Pensions") not in client.get(f"{url}?show=overdue").text
    assert cell.format("HM Treasury") not in client.get(f"{url}?target={dwp.id}").text
    assert cell.format("Department for Work and Pensions") in client.get(f"{url}?target={dwp.id}").text
    assert "Overdue" in client.get(url).text
    client.logout()
    feed = client.get(f"{url}/{calendar_key(p.charity)}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert f"DTSTART;VALUE=DATE:{recent.expected_by:%Y%m%d}" in feed.text
    assert f"DTSTART;VALUE=DATE:{overdue.expected_by:%Y%m%d}" in feed.text
    assert client.get(f"{url}/{'0' * 32}.ics").status_code == 404


def test_admins_add_edit_and_retire_targets_and_editors_add_only_their_own(client):
    admin = make_user(platform_admin=True)
    client.login(admin)
    response = client.post("/targets/new", data={"kind": "committee", "name": "Levelling Up Committee"})
    assert response.status_code == 302
    target = db.session.scalars(sa.select(Target)).one()
    assert client.post(f"/targets/{target.slug}/edit", data={"kind": "committee", "name": ""}).status_code == 400
    assert client.post(f"/targets/{target.slug}/retire").status_code == 302
    assert db.session.get(Target, target.id).is_retired
    client.logout()
    p = signed_statement()
    client.login(p.council_editor)
    assert client.post("/targets/new", data={"kind": "other", "name": "Mine"}).status_code == 403
    response = client.post(f"/statements/{p.statement.slug}/targets/new", data={"name": "Northshire Forum"})
    assert response.status_code == 302
    assert "Northshire Forum" in client.get(f"/statements/{p.statement.slug}/submissions/new").text
    assert "Northshire Forum" not in client.get("/targets").text


def test_a_reply_received_as_a_file_is_attached_to_that_reply(client):
    p = signed_statement()
    [submission] = send(p)
    reply = services.record_response(
        submission,
        ResponseDetails(kind=ResponseKind.FULL, received_on=date(2026, 11, 20), from_whom="DWP", summary="See letter."),
        actor=p.council_editor,
        today=date(2026, 11, 25),
    )
    db.session.commit()
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments"
    pdf = b"%PDF-1.7\n%%EOF"
    refused = client.post(url, data={"file": (io.BytesIO(pdf), "r.pdf"), "belongs_to": "999"})
    assert refused.status_code == 400 and "Choose what the file is from the list" in refused.text
    assert (
        client.post(url, data={"file": (io.BytesIO(pdf), "reply.pdf"), "belongs_to": str(reply.id)}).status_code == 302
    )
    assert db.session.scalars(sa.select(Attachment)).one().response_id == reply.id
    assert "reply.pdf" in client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}").text
