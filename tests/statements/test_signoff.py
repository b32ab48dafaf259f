import re

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Role
from campaigns.statements import signoff
from campaigns.statements.models import Agreement, Approval, Decision, ParticipantRole, Stage, Topic
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import TEXT, agree, join, partnership, publish
from tests.statements.test_drafting import edit_form


def answer(client, slug, decision, comment=""):
    page = client.get(f"/statements/{slug}/decide")
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page.text).group(1)
    return client.post(
        f"/statements/{slug}/decide", data={"decision": decision, "comment": comment, "revision": revision}
    )


def test_the_lead_proposes_and_every_author_organisations_signatory_is_asked(client, deliver):
    p = partnership()
    deliver()  # the invitations and answers of setting up
    client.login(p.council_editor)
    assert client.post(f"/statements/{p.statement.slug}/propose").status_code == 302
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.IN_AGREEMENT
    assert p.statement.proposed_revision_id == p.statement.current_revision_id
    asked = sorted(r for m in deliver() for r in m.recipients)
    # Signatories and admins of the council and the charity; not the reviewer, not editors or members.
    assert asked == sorted(
        [p.council_editor.email, p.council_signatory.email, p.charity_admin.email, p.charity_signatory.email]
    )


def test_the_statement_is_agreed_when_every_author_organisation_has_approved(client, deliver):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    client.login(p.council_signatory)
    assert answer(client, p.statement.slug, "approved").status_code == 302
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.IN_AGREEMENT
    client.logout()
    deliver()
    client.login(p.charity_signatory)
    response = answer(client, p.statement.slug, "approved")
    assert "Every co-author has now agreed" in client.get(response.headers["Location"]).text
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.AGREED
    assert p.statement.agreed_revision_id == p.statement.current_revision_id
    assert db.session.scalar(sa.select(Agreement.revision_id)) == p.statement.agreed_revision_id
    assert any("is agreed" in m.subject for m in deliver())


def test_asking_for_changes_needs_a_comment_and_tells_the_lead(client, deliver):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    deliver()
    client.login(p.charity_signatory)
    refused = answer(client, p.statement.slug, "changes_requested")
    assert refused.status_code == 400 and "Say what needs to change" in refused.text
    assert answer(client, p.statement.slug, "changes_requested", "Name the £4bn gap.").status_code == 302
    emails = deliver()
    assert {r for m in emails for r in m.recipients} == {p.council_editor.email}
    assert "Name the £4bn gap." in emails[0].text
    assert "Changes asked for" in client.get(f"/statements/{p.statement.slug}").text


def test_an_edit_after_a_proposal_starts_a_new_draft_and_approvals_must_be_given_again(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    db.session.commit()
    client.login(p.charity_editor)
    client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="A better title"))
    db.session.refresh(p.statement)
    assert (p.statement.stage, p.statement.proposed_revision_id) == (Stage.DRAFT, None)
    client.logout()
    client.login(p.council_signatory)
    assert client.get(f"/statements/{p.statement.slug}/decide").status_code == 409


def test_an_answer_about_a_text_that_changed_meanwhile_is_refused(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    client.login(p.council_signatory)
    page = client.get(f"/statements/{p.statement.slug}/decide")
    old_revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page.text).group(1)
    editor = client.application.test_client()
    editor.login(p.council_editor)
    editor.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="Changed"))
    editor.post(f"/statements/{p.statement.slug}/propose")
    response = client.post(
        f"/statements/{p.statement.slug}/decide", data={"decision": "approved", "revision": old_revision}
    )
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Approval)) == 0


def test_editors_members_and_reviewers_cannot_approve(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    for person in (p.charity_editor, p.council_member, p.reviewer_member):
        client.login(person)
        assert client.post(f"/statements/{p.statement.slug}/decide", data={"decision": "approved"}).status_code == 403
        client.logout()


def test_only_an_agreed_statement_opens_for_signatures_and_its_public_page_shows_the_agreed_text(client):
    p = partnership()
    client.login(p.council_editor)
    assert client.post(f"/statements/{p.statement.slug}/open").status_code == 400
    assert client.get(f"/s/{p.statement.slug}").status_code == 404
    agree(p)
    response = client.post(f"/statements/{p.statement.slug}/open")
    assert response.headers["Location"] == f"/s/{p.statement.slug}"
    public = client.application.test_client().get(f"/s/{p.statement.slug}")
    assert public.status_code == 200
    for text in (TEXT.title, TEXT.summary, "Charities pick up the pieces.", "Restore the local government grant"):
        assert text in public.text
    assert "Northshire County Council" in public.text and "Northshire Food Bank" in public.text
    assert "Northshire CVS" not in public.text  # reviewers are not authors
    assert "Agreed text, revision 1" in public.text
    assert client.post(f"/statements/{p.statement.slug}/open").status_code == 409


def test_a_newer_draft_does_not_change_the_published_text_until_it_is_agreed(client):
    p = partnership()
    publish(p)
    client.login(p.council_editor)
    client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="Draft title"))
    public = client.application.test_client().get(f"/s/{p.statement.slug}").text
    assert TEXT.title in public and "Draft title" not in public
    assert "new draft in progress" in client.get(f"/statements/{p.statement.slug}").text
    agree(p)
    public = client.application.test_client().get(f"/s/{p.statement.slug}").text
    assert "Draft title" in public and "Agreed text, revision 2" in public
    # The earlier agreed text keeps its public permalink; a draft never had one.
    assert client.application.test_client().get(f"/s/{p.statement.slug}/r/1").status_code == 200


def test_the_lead_closes_a_statement(client):
    p = partnership()
    publish(p)
    client.login(p.charity_editor)
    assert client.get(f"/statements/{p.statement.slug}/close").status_code == 403
    assert client.post(f"/statements/{p.statement.slug}/close").status_code == 403
    client.logout()
    client.login(p.council_editor)
    workspace = client.get(f"/statements/{p.statement.slug}").text
    assert f'href="/statements/{p.statement.slug}/close"' in workspace  # a link to a page that asks first
    asked = client.get(f"/statements/{p.statement.slug}/close")
    assert asked.status_code == 200 and "This cannot be undone" in asked.text
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.OPEN  # asking closes nothing
    assert client.post(f"/statements/{p.statement.slug}/close").status_code == 302
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.CLOSED
    assert "Closed to new signatures" in client.get(f"/s/{p.statement.slug}").text


def test_the_public_list_shows_open_statements_by_topic(client):
    p = partnership()
    publish(p)
    listing = client.get("/statements").text
    assert TEXT.title in listing.split("Open for signatures")[1]
    assert "Closed" not in listing
    assert TEXT.title in client.get(f"/statements?topic={Topic.LOCAL_GOVERNMENT_FUNDING.value}").text
    assert TEXT.title not in client.get(f"/statements?topic={Topic.GROWTH.value}").text
    assert client.get("/statements?topic=nonsense").status_code == 200


def test_the_public_page_prints_as_a_clean_letter(client):
    p = partnership()
    publish(p)
    page = client.get(f"/s/{p.statement.slug}").text
    assert 'class="app-letter"' in page
    with client.get(page.split('rel="stylesheet" href="')[1].split('"')[0]) as stylesheet:
        css = stylesheet.text
    assert "@media print" in css and ".app-letter" in css


def test_an_anonymous_visitor_sees_no_draft_links(client):
    p = partnership()
    publish(p)
    page = client.get(f"/s/{p.statement.slug}").text
    assert "Go to the working draft" not in page
    client.login(make_user())
    assert "Go to the working draft" not in client.get(f"/s/{p.statement.slug}").text


def test_an_answer_from_a_page_for_one_organisation_is_refused_after_switching_to_another_in_another_tab(client):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    add_member(p.charity, user=p.council_signatory, role=Role.SIGNATORY)  # signs for both
    db.session.commit()
    client.login(p.council_signatory)
    client.post("/account/acting-for", data={"organisation": p.council.id})
    page = client.get(f"/statements/{p.statement.slug}/decide")
    assert f"You are answering for {p.council.name}" in " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    shown_for = re.search(r'name="acting_for_id" value="(\d+)"', page.text).group(1)
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page.text).group(1)
    client.post("/account/acting-for", data={"organisation": p.charity.id})  # in another tab

    sent = client.post(
        f"/statements/{p.statement.slug}/decide",
        data={"decision": "approved", "revision": revision, "acting_for_id": shown_for},
    )
    assert sent.status_code == 409
    assert f"This page was for {p.council.name}, but you have since switched to acting for {p.charity.name}" in (
        sent.text
    )
    assert db.session.scalars(sa.select(Approval)).all() == []


def test_a_co_author_who_joins_after_agreement_must_agree_the_text_before_it_is_opened(client):
    p = partnership()
    agree(p)
    late_admin = make_user(name="Lena Late")
    late = make_organisation("Latecomers Trust", admin=late_admin)
    join(p.statement, late, ParticipantRole.CO_AUTHOR, by=p.council_editor, admin=late_admin)
    client.login(p.council_editor)
    workspace = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/statements/{p.statement.slug}").text).split())
    assert "Latecomers Trust joined as a co-author since, and has not agreed it" in workspace
    assert "Open for signatures" not in workspace and "Propose revision" in workspace

    refused = client.post(f"/statements/{p.statement.slug}/open")
    assert refused.status_code == 409
    assert "Latecomers Trust joined as a co-author after the text was agreed, and has not agreed it" in refused.text
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.AGREED

    assert client.post(f"/statements/{p.statement.slug}/propose").status_code == 302  # the same text, again
    signoff.decide(p.statement, Decision.APPROVED, actor=late_admin)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 1  # one agreement of the text
    assert client.post(f"/statements/{p.statement.slug}/open").status_code == 302
    public = client.get(f"/s/{p.statement.slug}").text
    assert "Latecomers Trust" in public  # now one of the authors who agreed it


def test_the_agreement_is_the_statements_own_event_in_the_leads_log_not_the_last_approvers_act_for_it(client):
    p = partnership()
    agree(p)  # the charity's signatory gives the last approval
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "statement.agreed")).one()
    assert (event.actor_id, event.organisation_id) == (None, p.council.id)
    client.login(p.council_editor)
    log = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/organisations/{p.council.slug}/activity").text).split())
    assert "Common Ground Every co-author agreed the revision" in log
    assert f"{p.charity_signatory.name} Every co-author agreed" not in log
