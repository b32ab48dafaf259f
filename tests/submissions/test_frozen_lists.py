"""A submission's list is the list as it stood on the date sent; a planned one's pack is a draft that says so."""

import io
from datetime import UTC, date, datetime

import sqlalchemy as sa
from pypdf import PdfReader

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.signatures import services as signatures
from campaigns.submissions.models import Submission, SubmissionSignatory
from campaigns.submissions.workdays import today_in_london
from tests.signatures.builders import confirmed, signing_organisation
from tests.submissions.builders import make_target, send, signed_statement


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def signed_on(p, name: str, day: str, *, withdrawn: str | None = None) -> None:
    """`name` signs (and confirms) on `day`, and withdraws on `withdrawn` if given."""
    with clock_at(at(day)):
        organisation, signatory = signing_organisation(name)
        signature = confirmed(p.statement, organisation, signatory)
    if withdrawn:
        with clock_at(at(withdrawn)):
            signatures.withdraw(signature, actor=signatory, reason="Board decision")
            db.session.commit()


def names(submission: Submission) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(SubmissionSignatory.name)
            .where(SubmissionSignatory.submission_id == submission.id)
            .order_by(SubmissionSignatory.position)
        )
    )


def spring_statement():
    """Agreed on 1 March 2026; by 2 April, Alpha and Carers had signed; others came and went around it."""
    p = signed_statement("Alpha Trust", at=at("2026-03-01"))
    signed_on(p, "Carers Together", "2026-03-15", withdrawn="2026-04-10")  # withdrew after: it had signed
    signed_on(p, "Dales Foodbank", "2026-03-05", withdrawn="2026-03-20")  # withdrew before: it had not
    signed_on(p, "Bramley Youth", "2026-05-01")  # months later
    signed_on(p, "Same Day Trust", "2026-04-02", withdrawn="2026-04-02")  # withdrew on the day: not named
    return p


def test_a_back_dated_submission_lists_the_organisations_that_had_signed_by_its_sent_date(client):
    p = spring_statement()
    today = today_in_london()
    [submission] = send(p, sent_on=date(2026, 4, 2), today=today)

    assert names(submission) == ["Alpha Trust", "Carers Together"]
    assert submission.signatory_total == 2
    client.login(p.council_editor)
    page = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}")
    assert "2 organisations had signed when this was sent on 2 April 2026." in page.text
    for absent in ("Bramley Youth", "Dales Foodbank", "Same Day Trust"):
        assert absent not in page.text
    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2 organisations had signed when this was sent on 2 April 2026" in " ".join(text.split())
    assert "Bramley Youth" not in text and "Carers Together" in text


def test_a_submission_recorded_on_the_day_sent_never_names_an_organisation_that_withdrew_earlier_that_day(client):
    p = spring_statement()
    organisation, signatory = signing_organisation("Withdrew This Morning")
    signatures.withdraw(confirmed(p.statement, organisation, signatory), actor=signatory, reason="Board decision")
    organisation, signatory = signing_organisation("Signed This Morning")
    confirmed(p.statement, organisation, signatory)
    db.session.commit()
    today = today_in_london()
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/new",
        data={
            "targets": [str(make_target().id)],
            "status": "sent",
            "channel": "email",
            "sent_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert response.status_code == 302, response.text
    submission = db.session.scalars(sa.select(Submission)).one()
    assert names(submission) == ["Alpha Trust", "Bramley Youth", "Signed This Morning"]
    page = client.get(f"/statements/{p.statement.slug}/submissions/{submission.id}/pack")
    assert "3 organisations had signed when this was sent on " in page.text
    assert "Withdrew This Morning" not in page.text


def test_a_sent_date_before_the_text_was_agreed_is_refused_with_a_clear_message_and_nothing_is_saved(client):
    p = signed_statement(at=at("2026-03-01"))
    target = make_target()
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/new",
        data={"targets": [str(target.id)], "status": "sent", "channel": "email", "sent_on": ["27", "2", "2026"]},
    )
    assert response.status_code == 400
    assert "The date sent cannot be before 1 March 2026, when revision 1 was agreed" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_a_sent_date_in_the_future_is_refused_when_marking_a_planned_submission_sent(client):
    p = signed_statement()
    [planned] = send(p, sent_on=None, today=today_in_london())
    client.login(p.council_editor)
    tomorrow = date.fromordinal(today_in_london().toordinal() + 1)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{planned.id}/sent",
        data={"sent_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]},
    )
    assert response.status_code == 400 and "The date sent must be today or in the past." in response.text
    assert db.session.get(Submission, planned.id).sent_on is None


def test_a_planned_submissions_pack_is_a_draft_on_every_page_with_the_list_as_it_stands_now(client):
    p = spring_statement()
    [planned] = send(p, sent_on=None, today=today_in_london())
    client.login(p.council_editor)

    pdf = client.get(f"/statements/{p.statement.slug}/submissions/{planned.id}/pack.pdf")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages]
    assert len(pages) >= 2
    for text in pages:
        assert "Draft: not yet sent. 2 organisations have signed as of " in text
    assert "Alpha Trust" in pages[-1] and "Bramley Youth" in pages[-1] and "Carers Together" not in pages[-1]
    assert "had signed when this was sent" not in " ".join(pages)
    assert "-draft.pdf" in pdf.headers["Content-Disposition"]

    page = client.get(f"/statements/{p.statement.slug}/submissions/{planned.id}/pack")
    assert "Draft: not yet sent. 2 organisations have signed as of " in page.text
    assert "Bramley Youth" in page.text and "0 organisations" not in page.text
    shown = client.get(f"/statements/{p.statement.slug}/submissions/{planned.id}")
    assert "2 organisations have signed as of " in shown.text and "Signatories so far" in shown.text


def test_marking_a_planned_submission_sent_freezes_the_list_as_of_the_date_sent(client):
    p = spring_statement()
    [planned] = send(p, sent_on=None, today=today_in_london())
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{planned.id}/sent", data={"sent_on": ["2", "4", "2026"]}
    )
    assert response.status_code == 302
    assert names(db.session.get(Submission, planned.id)) == ["Alpha Trust", "Carers Together"]
    page = client.get(f"/statements/{p.statement.slug}/submissions/{planned.id}/pack")
    assert "Draft" not in page.text and "2 organisations had signed when this was sent on 2 April 2026." in page.text


def test_pages_that_give_a_number_of_signatories_say_as_of_when(client):
    p = signed_statement("Alpha Trust")
    slug = p.statement.slug
    said = {
        f"/s/{slug}": "1 organisation has signed: 1 VCS organisation.",
        f"/s/{slug}/signatories": "1 organisation has signed: 1 VCS organisation.",
        f"/s/{slug}/embed": "<strong>1</strong> organisation has signed",
    }
    for path, count in said.items():
        page = client.get(path)
        assert count in page.text, path
        assert "As of " in page.text, path
