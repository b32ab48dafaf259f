import pytest
import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Role
from campaigns.statements import discussion, participation
from campaigns.statements.models import Comment, ParticipantRole
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import TEXT, partnership, start_statement
from tests.statements.helpers import count, edit, page_text, paragraph_on_page, replace_paragraph
from tests.support.concurrency import at_once


def post_comment(client, statement, body, paragraph=None, revision=None):
    data = {"body": body, "revision": str(revision or statement.current_revision.number)}
    if paragraph is not None:
        data["paragraph"] = str(paragraph)
    return client.post(f"/statements/{statement.slug}/comments/new", data=data)


def only_comment():
    return db.session.scalars(sa.select(Comment)).one()


def test_a_paragraph_comment_shows_on_that_paragraph_with_the_organisation_it_was_made_for(client):
    p = partnership()
    client.login(p.reviewer_member)
    workspace = client.get(f"/statements/{p.statement.slug}")
    assert "Comment on this paragraph" in paragraph_on_page(workspace, 1)
    form = client.get(f"/statements/{p.statement.slug}/comments/new?revision=1&paragraph=1")
    assert form.status_code == 200
    assert "Comment on paragraph 2" in page_text(form) and "Charities pick up the pieces." in form.text

    response = post_comment(client, p.statement, "Say which charities.", paragraph=1)
    comment = only_comment()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/statements/{p.statement.slug}#comment-{comment.id}"
    assert (comment.paragraph, comment.quoted) == (1, "Charities pick up the pieces.")
    assert (comment.author_id, comment.organisation_id) == (p.reviewer_member.id, p.reviewer.id)

    page = client.get(f"/statements/{p.statement.slug}")
    assert "Your comment has been added" in page.text
    on_paragraph = paragraph_on_page(page, 1)
    assert "1 open comment" in on_paragraph and "Say which charities." in on_paragraph
    assert "open comment" not in paragraph_on_page(page, 0) + paragraph_on_page(page, 2)
    assert "Comment by Ray Reader" in page_text(page) and "On paragraph 2" in page_text(page)
    assert "Northshire CVS" in page_text(page)
    activity = page_text(client.get(f"/statements/{p.statement.slug}/activity"))
    assert "Commented on the statement" in activity and "Paragraph: 2" in activity


def test_a_comment_on_the_statement_as_a_whole_is_listed_below_the_text(client):
    p = partnership()
    client.login(p.charity_signatory)
    assert "Comment on the statement" in client.get(f"/statements/{p.statement.slug}").text
    assert "Comment on the statement" in page_text(client.get(f"/statements/{p.statement.slug}/comments/new"))
    assert post_comment(client, p.statement, "Strong start.\nNeeds figures.").status_code == 302
    comment = only_comment()
    assert (comment.paragraph, comment.quoted, comment.organisation_id) == (None, None, p.charity.id)
    page = client.get(f"/statements/{p.statement.slug}")
    assert "On the statement as a whole" in page_text(page)
    assert "Strong start.\nNeeds figures." in page.text
    assert all("open comment" not in paragraph_on_page(page, i) for i in range(3))


def test_a_reply_emails_the_author_of_the_comment_but_nobody_replying_to_themselves(client, deliver):
    p = partnership()
    deliver()
    comment = discussion.add_comment(p.statement, "Cite the LGA figures.", actor=p.reviewer_member, paragraph=0)
    db.session.commit()
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/comments/{comment.id}/replies", data={"body": "Added them, thanks."}
    )
    assert response.status_code == 302
    [email] = deliver()
    assert email.recipients == [p.reviewer_member.email]
    assert email.subject == "Carla Council replied to your comment on ‘Fund councils fairly’"
    assert "Cite the LGA figures." in email.text and "Added them, thanks." in email.text
    assert f"/statements/{p.statement.slug}/comments/{comment.id}" in email.link("/comments/")

    thread = client.get(f"/statements/{p.statement.slug}/comments/{comment.id}")
    assert "Added them, thanks." in thread.text and "Cite the LGA figures." in thread.text
    reply = db.session.scalars(sa.select(Comment).where(Comment.parent_id == comment.id)).one()
    assert reply.organisation_id == p.council.id
    client.logout()

    client.login(p.reviewer_member)
    client.post(f"/statements/{p.statement.slug}/comments/{comment.id}/replies", data={"body": "Great."})
    assert deliver() == []
    assert count(Comment) == 3


def test_the_comment_author_and_author_organisation_editors_resolve_and_reopen_but_no_one_else(client):
    p = partnership()
    comment = discussion.add_comment(p.statement, "Too long.", actor=p.reviewer_member)
    db.session.commit()
    url = f"/statements/{p.statement.slug}/comments/{comment.id}"

    client.login(p.council_member)  # a member of the lead organisation, but not an editor
    refused = client.post(f"{url}/resolve")
    assert refused.status_code == 403 and "Only the person who wrote a comment" in page_text(refused)
    assert "Resolve the comment" not in client.get(f"/statements/{p.statement.slug}").text
    client.logout()

    client.login(p.charity_editor)
    assert client.post(f"{url}/resolve").status_code == 302
    db.session.refresh(comment)
    assert comment.resolved_at is not None and comment.resolved_by_id == p.charity_editor.id
    page = client.get(f"/statements/{p.statement.slug}")
    assert "Resolved comments (1)" in page.text and "No open comments." in page.text
    assert "by Ed Charity" in page_text(page)
    again = client.post(f"{url}/resolve")
    assert again.status_code == 409 and "already been resolved" in again.text
    client.logout()

    client.login(p.reviewer_member)
    assert client.post(f"{url}/reopen").status_code == 302
    db.session.refresh(comment)
    assert comment.resolved_at is None
    assert client.post(f"{url}/reopen").status_code == 409
    assert client.post(f"{url}/resolve").status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("statement.comment%")))
    assert list(actions) == [
        "statement.comment_added",
        "statement.comment_resolved",
        "statement.comment_reopened",
        "statement.comment_resolved",
    ]
    activity = page_text(client.get(f"/statements/{p.statement.slug}/activity"))
    assert "Resolved a comment" in activity and "Reopened a comment" in activity


def test_a_resolved_comment_takes_no_replies_until_it_is_reopened(client):
    p = partnership()
    comment = discussion.add_comment(p.statement, "Too long.", actor=p.reviewer_member)
    discussion.resolve(p.statement, comment, actor=p.council_editor)
    db.session.commit()
    client.login(p.reviewer_member)
    response = client.post(f"/statements/{p.statement.slug}/comments/{comment.id}/replies", data={"body": "Why?"})
    assert response.status_code == 409 and "Reopen it to reply" in response.text
    assert count(Comment) == 1


def test_a_comment_on_a_paragraph_changed_since_says_it_refers_to_an_earlier_text(client):
    p = partnership()
    changed = discussion.add_comment(p.statement, "Which charities?", actor=p.reviewer_member, paragraph=1)
    kept = discussion.add_comment(p.statement, "Good ending.", actor=p.reviewer_member, paragraph=2)
    db.session.commit()
    # Paragraph 2 is rewritten and a new paragraph goes before the last, which moves unchanged to index 3.
    body = replace_paragraph(TEXT.body, 1, "Food banks and advice centres pick up the pieces.\n\nDemand has doubled.")
    edit(p.statement, p.charity_editor, body=body)

    client.login(p.reviewer_member)
    page = client.get(f"/statements/{p.statement.slug}")
    text = page_text(page)
    assert "This comment refers to an earlier text: paragraph 2 of revision 1, which has changed since." in text
    assert "Charities pick up the pieces." in text
    assert "open comment" not in paragraph_on_page(page, 1)
    assert "1 open comment" in paragraph_on_page(page, 3) and "Good ending." in paragraph_on_page(page, 3)
    assert f'href="/statements/{p.statement.slug}#paragraph-3">paragraph 4</a>' in page.text
    thread = page_text(client.get(f"/statements/{p.statement.slug}/comments/{changed.id}"))
    assert "refers to an earlier text" in thread
    assert "refers to an earlier text" not in page_text(
        client.get(f"/statements/{p.statement.slug}/comments/{kept.id}")
    )


def test_commenting_from_an_older_revision_quotes_what_the_person_read(client):
    p = partnership()
    edit(p.statement, p.council_editor, body=replace_paragraph(TEXT.body, 0, "Councils face a £4bn gap."))
    client.login(p.reviewer_member)
    form = client.get(f"/statements/{p.statement.slug}/comments/new?revision=1&paragraph=0")
    assert "The text has changed since" in form.text and "Councils face a funding gap." in form.text
    post_comment(client, p.statement, "Give the figure.", paragraph=0, revision=1)
    assert only_comment().quoted == "Councils face a funding gap."
    assert "refers to an earlier text" in page_text(client.get(f"/statements/{p.statement.slug}"))


def test_the_organisation_chosen_in_the_header_is_recorded_with_the_comment(client):
    p = partnership()
    both = add_member(p.reviewer, make_user(name="Two Hats"), Role.MEMBER).user
    add_member(p.charity, both, Role.MEMBER)
    elsewhere = make_organisation("Unrelated Trust")
    add_member(elsewhere, both, Role.MEMBER)
    client.login(both)

    assert client.post("/account/acting-for", data={"organisation": str(elsewhere.id)}).status_code == 302
    refused = post_comment(client, p.statement, "Which one am I?")
    assert refused.status_code == 403
    assert "Choose the organisation you are acting for (Northshire CVS or Northshire Food Bank)" in page_text(refused)
    assert count(Comment) == 0

    client.post("/account/acting-for", data={"organisation": str(p.reviewer.id)})
    assert post_comment(client, p.statement, "For the CVS.").status_code == 302
    assert only_comment().organisation_id == p.reviewer.id


def test_acting_for_an_organisation_you_do_not_belong_to_is_refused_and_changes_nothing(client):
    p = partnership()
    client.login(p.reviewer_member)
    chosen = client.post("/account/acting-for", data={"organisation": str(p.council.id)})
    assert chosen.status_code == 400
    assert post_comment(client, p.statement, "Hello.").status_code == 302
    assert only_comment().organisation_id == p.reviewer.id


def test_outsiders_cannot_see_or_touch_comments(client, app):
    p = partnership()
    comment = discussion.add_comment(p.statement, "Private thoughts.", actor=p.reviewer_member)
    db.session.commit()
    base = f"/statements/{p.statement.slug}/comments"
    outsider = make_user()
    make_organisation(admin=outsider)
    client.login(outsider)
    assert client.get(f"{base}/new").status_code == 404
    assert client.get(f"{base}/{comment.id}").status_code == 404
    assert post_comment(client, p.statement, "Let me in.").status_code == 404
    for action in ("replies", "resolve", "reopen"):
        assert client.post(f"{base}/{comment.id}/{action}", data={"body": "Hi"}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"{base}/{comment.id}").headers["Location"].startswith("/sign-in")
    assert anonymous.post(f"{base}/{comment.id}/resolve").headers["Location"].startswith("/sign-in")
    db.session.refresh(comment)
    assert count(Comment) == 1 and comment.resolved_at is None


def test_an_invited_organisation_reads_the_comments_but_cannot_comment_until_it_accepts(client):
    p = partnership()
    discussion.add_comment(p.statement, "Visible to invitees.", actor=p.reviewer_member)
    invited_admin = make_user()
    invited = make_organisation("Invited Org", admin=invited_admin)
    participation.invite(p.statement, invited, ParticipantRole.REVIEWER, actor=p.council_editor)
    db.session.commit()
    client.login(invited_admin)
    page = client.get(f"/statements/{p.statement.slug}")
    assert "Visible to invitees." in page.text and "Comment on this paragraph" not in page.text
    assert client.get(f"/statements/{p.statement.slug}/comments/new").status_code == 403
    assert post_comment(client, p.statement, "Me too.").status_code == 403
    assert count(Comment) == 1


def test_a_comment_of_another_statement_is_not_found_through_this_one(client):
    p = partnership()
    other = start_statement(p.council_editor, p.council)
    elsewhere = discussion.add_comment(other, "On the other one.", actor=p.council_editor)
    db.session.commit()
    client.login(p.council_editor)
    url = f"/statements/{p.statement.slug}/comments/{elsewhere.id}"
    assert client.get(url).status_code == 404
    for action in ("replies", "resolve"):
        assert client.post(f"{url}/{action}", data={"body": "Hi"}).status_code == 404
    assert client.get(f"/statements/{p.statement.slug}/comments/99999999999999").status_code == 404
    assert count(Comment) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter your comment"),
        ("   \n  ", "Enter your comment"),
        ("x" * 5001, "Your comment must be 5,000 characters or fewer"),
    ],
)
def test_an_empty_or_oversized_comment_or_reply_is_refused(client, body, message):
    p = partnership()
    parent = discussion.add_comment(p.statement, "First.", actor=p.council_editor)
    db.session.commit()
    client.login(p.reviewer_member)
    for response, what in (
        (post_comment(client, p.statement, body, paragraph=0), "comment"),
        (client.post(f"/statements/{p.statement.slug}/comments/{parent.id}/replies", data={"body": body}), "reply"),
    ):
        assert response.status_code == 400
        assert "There is a problem" in response.text and message.replace("comment", what) in response.text
    assert count(Comment) == 1


def test_a_comment_of_exactly_the_longest_length_is_accepted(client):
    p = partnership()
    client.login(p.reviewer_member)
    assert post_comment(client, p.statement, "x" * 5000).status_code == 302


@pytest.mark.parametrize(
    ("revision", "paragraph", "status"),
    [("1", "3", 404), ("1", "999999999", 404), ("7", "0", 404), ("1", "-1", 400), ("x", "0", 400), ("1", "0x", 400)],
)
def test_a_paragraph_or_revision_that_does_not_exist_is_refused(client, revision, paragraph, status):
    p = partnership()
    client.login(p.reviewer_member)
    data = {"body": "Hello.", "revision": revision, "paragraph": paragraph}
    assert client.post(f"/statements/{p.statement.slug}/comments/new", data=data).status_code == status
    query = f"/statements/{p.statement.slug}/comments/new?revision={revision}&paragraph={paragraph}"
    assert client.get(query).status_code == status
    assert count(Comment) == 0


def test_replying_to_a_reply_is_refused(client):
    p = partnership()
    parent = discussion.add_comment(p.statement, "First.", actor=p.council_editor)
    answer = discussion.reply(p.statement, parent, "Second.", actor=p.reviewer_member)
    db.session.commit()
    client.login(p.charity_editor)
    response = client.post(f"/statements/{p.statement.slug}/comments/{answer.id}/replies", data={"body": "Third."})
    assert response.status_code == 400
    assert "You can only reply to a comment, not to a reply" in response.text
    assert client.post(f"/statements/{p.statement.slug}/comments/{answer.id}/resolve").status_code == 400
    assert count(Comment) == 2


def test_a_comment_sent_twice_is_saved_once(client):
    p = partnership()
    client.login(p.reviewer_member)
    assert post_comment(client, p.statement, "Twice.", paragraph=2).status_code == 302
    again = post_comment(client, p.statement, "Twice.", paragraph=2)
    assert again.status_code == 409 and "You have already posted this comment" in again.text
    parent = only_comment()
    reply_url = f"/statements/{p.statement.slug}/comments/{parent.id}/replies"
    assert client.post(reply_url, data={"body": "Once more."}).status_code == 302
    assert client.post(reply_url, data={"body": "Once more."}).status_code == 409
    assert count(Comment) == 2
    # The same words somewhere else are a new comment.
    assert post_comment(client, p.statement, "Twice.", paragraph=1).status_code == 302


def test_a_comment_form_without_a_valid_csrf_token_is_refused(client):
    p = partnership()
    client.login(p.reviewer_member)
    data = {"body": "Hello.", "revision": "1"}
    response = client.post(f"/statements/{p.statement.slug}/comments/new", data=data, csrf=False)
    assert response.status_code == 400
    parent = discussion.add_comment(p.statement, "First.", actor=p.council_editor)
    db.session.commit()
    resolve = client.post(f"/statements/{p.statement.slug}/comments/{parent.id}/resolve", data={}, csrf=False)
    assert resolve.status_code == 400
    assert count(Comment) == 1


def test_a_comment_sent_twice_at_the_same_moment_is_saved_once(app):
    p = partnership()
    browsers = app.test_client(), app.test_client()
    for browser in browsers:
        browser.login(p.reviewer_member)
    data = {"body": "Double click.", "revision": "1", "paragraph": "0"}
    url = f"/statements/{p.statement.slug}/comments/new"
    responses = at_once(*(lambda browser=browser: browser.post(url, data=data) for browser in browsers))
    assert sorted(r.status_code for r in responses) == [302, 409]
    assert count(Comment) == 1
