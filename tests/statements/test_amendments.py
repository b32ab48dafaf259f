import re

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.statements import amendments
from campaigns.statements.models import Amendment, AmendmentStatus, Revision
from tests.factories import make_organisation, make_user
from tests.statements.builders import TEXT, partnership, start_statement
from tests.statements.helpers import amendment_form, count, edit, page_text, replace_paragraph
from tests.support.concurrency import at_once

FIGURE = replace_paragraph(TEXT.body, 0, "Councils face a £4bn funding gap.")


def propose(client, statement, **changes):
    return client.post(f"/statements/{statement.slug}/amendments/new", data=amendment_form(statement, **changes))


def proposed(p, body=FIGURE, by=None, rationale="Name the gap."):
    """An amendment made through the service, committed."""
    text = TEXT.__class__(TEXT.title, TEXT.summary, body, TEXT.asks)
    amendment = amendments.propose(
        p.statement, text, rationale, based_on=p.statement.current_revision, actor=by or p.reviewer_member
    )
    db.session.commit()
    return amendment


def revisions(statement):
    return db.session.scalars(
        sa.select(Revision).where(Revision.statement_id == statement.id).order_by(Revision.number)
    ).all()


def hidden_based_on(response):
    return re.search(r'name="based_on" type="hidden" value="(\d+)"', response.text).group(1)


def test_a_reviewer_proposes_an_amendment_and_the_editors_of_the_author_organisations_are_emailed(client, deliver):
    p = partnership()
    deliver()
    client.login(p.reviewer_member)
    form = client.get(f"/statements/{p.statement.slug}/amendments/new")
    assert form.status_code == 200
    assert "Councils face a funding gap." in form.text and 'value="Fund councils fairly"' in form.text
    response = propose(
        client,
        p.statement,
        body=FIGURE,
        asks="Restore the local government grant\nGive three-year settlements\nEnd competitive bidding",
        rationale="Name the gap: it is what ministers will ask.",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/statements/{p.statement.slug}/amendments/1"
    amendment = db.session.scalars(sa.select(Amendment)).one()
    assert (amendment.number, amendment.status, amendment.base_revision_id) == (
        1,
        AmendmentStatus.OPEN,
        p.statement.current_revision_id,
    )
    assert (amendment.proposer_id, amendment.organisation_id) == (p.reviewer_member.id, p.reviewer.id)
    assert amendment.body == FIGURE and amendment.asks[-1] == "End competitive bidding"

    emails = deliver()
    assert sorted(r for m in emails for r in m.recipients) == sorted(
        [p.council_editor.email, p.charity_admin.email, p.charity_editor.email]
    )
    assert emails[0].subject == "Northshire CVS proposes amendment 1 to ‘Fund councils fairly’"
    assert "Name the gap: it is what ministers will ask." in emails[0].text
    assert emails[0].link("/amendments/").endswith(f"/statements/{p.statement.slug}/amendments/1")

    page = client.get(response.headers["Location"])
    text = page_text(page)
    assert "Amendment 1 has been sent to the editors" in text
    assert "Open" in text and "Ray Reader, Northshire CVS" in text
    assert "Name the gap: it is what ministers will ask." in text
    assert '<ins class="app-diff__ins"><span class="govuk-visually-hidden">inserted: </span>£4bn' in page.text
    assert "End competitive bidding" in page.text and "Title Not changed." in text
    assert "Accept amendment 1" not in text and "Withdraw amendment 1" in text
    assert "The text has moved on" not in text
    workspace = page_text(client.get(f"/statements/{p.statement.slug}"))
    assert "Amendment 1 by Ray Reader (Northshire CVS)" in workspace
    assert "Proposed an amendment" in page_text(client.get(f"/statements/{p.statement.slug}/activity"))


def test_amendments_are_numbered_within_their_statement_even_when_sent_at_the_same_moment(app, client):
    p = partnership()
    other = start_statement(p.council_editor, p.council)
    first, second = app.test_client(), app.test_client()
    first.login(p.reviewer_member)
    second.login(p.charity_signatory)
    url = f"/statements/{p.statement.slug}/amendments/new"
    forms = amendment_form(p.statement, title="Fair funding now"), amendment_form(p.statement, title="Fund us")
    responses = at_once(lambda: first.post(url, data=forms[0]), lambda: second.post(url, data=forms[1]))
    assert [r.status_code for r in responses] == [302, 302]
    numbers = db.session.execute(sa.select(Amendment.title, Amendment.number).order_by(Amendment.number)).all()
    assert sorted(n for _, n in numbers) == [1, 2]
    client.login(p.council_editor)
    assert propose(client, other, title="Elsewhere").headers["Location"].endswith("/amendments/1")


def test_an_amendment_that_changes_nothing_is_refused(client):
    p = partnership()
    client.login(p.reviewer_member)
    response = propose(client, p.statement)
    assert response.status_code == 400
    assert "Your amendment does not change anything" in response.text
    # Written from revision 1, proposing what revision 2 already says.
    stale = amendment_form(p.statement, body=FIGURE)
    edit(p.statement, p.council_editor, body=FIGURE)
    response = client.post(f"/statements/{p.statement.slug}/amendments/new", data=stale)
    assert response.status_code == 400 and "The statement already says this" in response.text
    assert count(Amendment) == 0


def test_reviewers_and_co_author_signatories_propose_but_only_author_editors_decide(client):
    p = partnership()
    amendment = proposed(p)
    url = f"/statements/{p.statement.slug}/amendments/{amendment.number}"
    for person in (p.reviewer_member, p.charity_signatory, p.council_member):
        client.login(person)
        assert "Propose an amendment" in client.get(f"/statements/{p.statement.slug}").text
        assert "Accept amendment 1" not in client.get(url).text
        refused = client.post(f"{url}/accept")
        assert refused.status_code == 403 and "Only editors of the lead and co-author organisations" in refused.text
        assert client.post(f"{url}/reject", data={"reason": "No."}).status_code == 403
        assert client.get(f"{url}/resolve").status_code == 403
        client.logout()
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.OPEN and len(revisions(p.statement)) == 1
    client.login(p.charity_editor)
    assert "Accept amendment 1" in client.get(url).text


def test_accepting_an_amendment_makes_a_revision_credited_to_its_proposer(client, deliver):
    p = partnership()
    amendment = proposed(p)
    deliver()
    client.login(p.charity_editor)
    response = client.post(f"/statements/{p.statement.slug}/amendments/1/accept")
    assert response.status_code == 302
    assert "Amendment 1 is accepted: it is now revision 2" in page_text(client.get(response.headers["Location"]))
    revision = revisions(p.statement)[-1]
    assert (revision.number, revision.body) == (2, FIGURE)
    assert (revision.author_id, revision.organisation_id) == (p.reviewer_member.id, p.reviewer.id)
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert (amendment.revision_id, amendment.decided_by_id) == (revision.id, p.charity_editor.id)

    [email] = deliver()
    assert email.recipients == [p.reviewer_member.email]
    assert email.subject == "Your amendment 1 to ‘Fund councils fairly’ was accepted"
    assert "It is now revision 2, credited to you." in email.text

    assert "Councils face a £4bn funding gap." in client.get(f"/statements/{p.statement.slug}").text
    assert "Ray Reader" in page_text(client.get(f"/statements/{p.statement.slug}/history"))
    activity = page_text(client.get(f"/statements/{p.statement.slug}/activity"))
    assert "Accepted an amendment" in activity and "Saved a new revision" in activity
    page = page_text(client.get(f"/statements/{p.statement.slug}/amendments/1"))
    assert "Accepted" in page and "by Ed Charity" in page and "Accept amendment 1" not in page
    again = client.post(f"/statements/{p.statement.slug}/amendments/1/accept")
    assert again.status_code == 409 and "Amendment 1 has already been accepted" in again.text
    assert len(revisions(p.statement)) == 2


def test_accepting_onto_a_text_edited_elsewhere_since_merges_both(client):
    p = partnership()
    proposed(p, body=replace_paragraph(TEXT.body, 2, "We ask for a fair, multi-year settlement."))
    edit(p.statement, p.council_editor, body=FIGURE)
    client.login(p.council_editor)
    page = page_text(client.get(f"/statements/{p.statement.slug}/amendments/1"))
    assert "The text has moved on since this amendment was proposed" in page
    assert "written against revision 1, and the current text is revision 2" in page
    assert client.post(f"/statements/{p.statement.slug}/amendments/1/accept").status_code == 302
    latest = revisions(p.statement)[-1]
    assert latest.number == 3 and latest.author_id == p.reviewer_member.id
    assert latest.body == "Councils face a £4bn funding gap.\n\nCharities pick up the pieces.\n\n" + (
        "We ask for a fair, multi-year settlement."
    )


def test_an_amendment_overlapping_a_later_edit_shows_the_conflict_page_and_saving_it_accepts(client, deliver):
    p = partnership()
    form = amendment_form(p.statement, body=replace_paragraph(TEXT.body, 1, "Food banks pick up the pieces."))
    edit(
        p.statement,
        p.council_editor,
        body=replace_paragraph(TEXT.body, 1, "Charities and councils pick up the pieces."),
    )
    client.login(p.reviewer_member)
    proposal = client.post(f"/statements/{p.statement.slug}/amendments/new", data=form)
    assert proposal.status_code == 302
    assert "The text was changed while you were writing it" in page_text(client.get(proposal.headers["Location"]))
    client.logout()
    deliver()

    client.login(p.charity_editor)
    url = f"/statements/{p.statement.slug}/amendments/1"
    conflict = client.post(f"{url}/accept")
    assert conflict.status_code == 409
    text = page_text(conflict)
    assert "The text has changed in the same places as the amendment" in text
    assert "The current text (revision 2) Charities and councils pick up the pieces." in text
    assert "Amendment 1 (in the form below) Food banks pick up the pieces." in text
    assert f'action="{url}/resolve"' in conflict.text
    assert re.search(r"<textarea[^>]*>[^<]*Food banks pick up the pieces\.", conflict.text)
    current = p.statement.current_revision_id
    assert hidden_based_on(conflict) == str(current)
    assert len(revisions(p.statement)) == 2 and db.session.get(Amendment, 1).status == AmendmentStatus.OPEN
    assert "both changed this" in client.get(f"{url}/resolve").text

    resolution = {
        "title": TEXT.title,
        "summary": TEXT.summary,
        "body": replace_paragraph(TEXT.body, 1, "Food banks, charities and councils pick up the pieces."),
        "asks": "\n".join(TEXT.asks),
        "based_on": str(current),
    }
    invalid = client.post(f"{url}/resolve", data={**resolution, "title": ""})
    assert invalid.status_code == 400 and "Enter a title" in invalid.text and "both changed this" in invalid.text
    saved = client.post(f"{url}/resolve", data=resolution)
    assert saved.status_code == 302
    latest = revisions(p.statement)[-1]
    assert latest.number == 3 and "Food banks, charities and councils" in latest.body
    assert (latest.author_id, latest.organisation_id) == (p.reviewer_member.id, p.reviewer.id)
    amendment = db.session.get(Amendment, 1)
    assert (amendment.status, amendment.revision_id) == (AmendmentStatus.ACCEPTED, latest.id)
    assert [m.recipients for m in deliver()] == [[p.reviewer_member.email]]


def test_rejecting_needs_a_reason_which_the_proposer_is_sent(client, deliver):
    p = partnership()
    amendment = proposed(p)
    deliver()
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/amendments/1/reject"
    for reason, message in (("", "Say why you are rejecting this amendment"), ("x" * 2001, "2,000 characters")):
        refused = client.post(url, data={"reason": reason})
        assert refused.status_code == 400 and "There is a problem" in refused.text and message in refused.text
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.OPEN
    assert client.post(url, data={"reason": "The figure is disputed."}).status_code == 302
    db.session.refresh(amendment)
    assert (amendment.status, amendment.decision_reason) == (AmendmentStatus.REJECTED, "The figure is disputed.")
    [email] = deliver()
    assert email.recipients == [p.reviewer_member.email]
    assert email.subject == "Your amendment 1 to ‘Fund councils fairly’ was rejected"
    assert "The figure is disputed." in email.text
    page = page_text(client.get(f"/statements/{p.statement.slug}/amendments/1"))
    assert "Rejected" in page and "Reason The figure is disputed." in page
    activity = page_text(client.get(f"/statements/{p.statement.slug}/activity"))
    assert "Rejected an amendment" in activity and "Reason: The figure is disputed." in activity
    assert client.post(url, data={"reason": "Again."}).status_code == 409
    assert len(revisions(p.statement)) == 1


def test_only_the_proposer_withdraws_an_open_amendment(client):
    p = partnership()
    amendment = proposed(p)
    url = f"/statements/{p.statement.slug}/amendments/1"
    for person in (p.council_editor, p.charity_signatory):
        client.login(person)
        assert "Withdraw amendment 1" not in client.get(url).text
        refused = client.post(f"{url}/withdraw")
        assert refused.status_code == 403 and "Only the person who proposed an amendment" in refused.text
        client.logout()
    client.login(p.reviewer_member)
    assert client.post(f"{url}/withdraw").status_code == 302
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.WITHDRAWN
    assert "Withdrawn" in page_text(client.get(url))
    assert client.post(f"{url}/withdraw").status_code == 409
    assert "Withdrew their amendment" in page_text(client.get(f"/statements/{p.statement.slug}/activity"))
    client.logout()
    client.login(p.council_editor)
    refused = client.post(f"{url}/accept")
    assert refused.status_code == 409 and "already been withdrawn" in refused.text


def test_an_outdated_amendment_cannot_be_accepted_or_rejected(client):
    p = partnership()
    amendment = proposed(p, body=replace_paragraph(TEXT.body, 1, "Food banks pick up the pieces."))
    edit(p.statement, p.council_editor, body=replace_paragraph(TEXT.body, 1, "Everyone picks up the pieces."))
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.OUTDATED
    client.login(p.charity_editor)
    url = f"/statements/{p.statement.slug}/amendments/1"
    page = page_text(client.get(url))
    assert "This amendment is outdated" in page and "Accept amendment 1" not in page
    accepted = client.post(f"{url}/accept")
    assert accepted.status_code == 409 and "Amendment 1 is outdated and cannot be accepted" in accepted.text
    rejected = client.post(f"{url}/reject", data={"reason": "Too late."})
    assert rejected.status_code == 409 and "cannot be rejected" in rejected.text
    assert client.get(f"{url}/resolve").headers["Location"] == url
    assert len(revisions(p.statement)) == 2
    assert "An amendment no longer fits the current text" in page_text(
        client.get(f"/statements/{p.statement.slug}/activity")
    )


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"rationale": ""}, 400, "Explain why you propose this change"),
        ({"rationale": "   "}, 400, "Explain why you propose this change"),
        ({"rationale": "x" * 2001}, 400, "The rationale must be 2,000 characters or fewer"),
        ({"title": ""}, 400, "Enter a title"),
        ({"asks": ""}, 400, "Enter at least one ask"),
        ({"based_on": "abc"}, 400, "The form was changed in a way we cannot use"),
        ({"based_on": "99999999"}, 404, "We could not find the revision"),
    ],
)
def test_a_bad_amendment_form_is_refused_with_a_clear_message(client, changes, status, message):
    p = partnership()
    client.login(p.reviewer_member)
    response = propose(client, p.statement, body=FIGURE, **changes)
    assert response.status_code == status
    assert message in response.text
    assert count(Amendment) == 0


def test_an_amendment_cannot_be_based_on_another_statements_revision(client):
    p = partnership()
    other = start_statement(p.council_editor, p.council)
    client.login(p.reviewer_member)
    response = propose(client, p.statement, body=FIGURE, based_on=str(other.current_revision_id))
    assert response.status_code == 404
    assert count(Amendment) == 0


def test_an_amendment_sent_twice_is_saved_once(client):
    p = partnership()
    client.login(p.reviewer_member)
    assert propose(client, p.statement, body=FIGURE).status_code == 302
    again = propose(client, p.statement, body=FIGURE)
    assert again.status_code == 409 and "You have already proposed this amendment: it is amendment 1" in again.text
    assert count(Amendment) == 1


def test_amendment_numbers_are_looked_up_within_the_statement(client):
    p = partnership()
    proposed(p)
    other = start_statement(p.council_editor, p.council)
    amendments.propose(
        other, TEXT.__class__("One", "S", "B", ("A",)), "R", based_on=other.current_revision, actor=p.council_editor
    )
    amendments.propose(
        other, TEXT.__class__("Two", "S", "B", ("A",)), "R", based_on=other.current_revision, actor=p.council_editor
    )
    db.session.commit()
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/amendments/2"
    assert client.get(url).status_code == 404
    for action in ("accept", "reject", "withdraw", "resolve"):
        assert client.post(f"{url}/{action}", data={"reason": "No."}).status_code == 404
    assert client.get(f"/statements/{p.statement.slug}/amendments/99999999999999").status_code == 404
    assert client.get(f"/statements/{p.statement.slug}/amendments/0").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).where(Amendment.status == AmendmentStatus.OPEN)) == 3


def test_outsiders_cannot_see_or_touch_amendments(client, app):
    p = partnership()
    proposed(p)
    base = f"/statements/{p.statement.slug}/amendments"
    outsider = make_user()
    make_organisation(admin=outsider)
    client.login(outsider)
    for url in (base, f"{base}/new", f"{base}/1", f"{base}/1/resolve"):
        assert client.get(url).status_code == 404, url
    assert propose(client, p.statement, body=FIGURE, title="Hijack").status_code == 404
    for action in ("accept", "reject", "withdraw", "resolve"):
        assert client.post(f"{base}/1/{action}", data={"reason": "Mine."}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"{base}/1").headers["Location"].startswith("/sign-in")
    assert anonymous.post(f"{base}/1/accept").headers["Location"].startswith("/sign-in")
    assert count(Amendment) == 1
    assert db.session.get(Amendment, 1).status == AmendmentStatus.OPEN


def test_the_list_of_amendments_shows_each_with_its_status(client):
    p = partnership()
    first = proposed(p)
    amendments.withdraw(p.statement, first, actor=p.reviewer_member)
    proposed(p, body=replace_paragraph(TEXT.body, 2, "We ask for fairness."), by=p.charity_signatory)
    client.login(p.council_member)
    text = page_text(client.get(f"/statements/{p.statement.slug}/amendments"))
    assert "Amendment 2 Sue Trustee Northshire Food Bank" in text and "Open" in text
    assert "Amendment 1 Ray Reader Northshire CVS" in text and "Withdrawn" in text
