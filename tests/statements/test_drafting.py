import re

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind, Role
from campaigns.statements.models import Revision, Stage, Statement, Topic
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import TEXT, partnership, start_statement

FORM = {
    "title": "Fund councils fairly",
    "summary": "Councils need fair funding.",
    "topics": ["local_government_funding", "growth"],
    "body": "First paragraph.\n\nSecond paragraph.",
    "asks": "1. Restore the grant\n\n- Stop the cuts\n",
}


def revisions_of(statement):
    return db.session.scalars(
        sa.select(Revision).where(Revision.statement_id == statement.id).order_by(Revision.number)
    ).all()


def edit_form(statement, **changes):
    revision = statement.current_revision
    data = {
        "title": revision.title,
        "summary": revision.summary,
        "topics": [t.value for t in statement.topic_values],
        "body": revision.body,
        "asks": "\n".join(revision.asks),
        "based_on": str(revision.id),
    }
    return {**data, **changes}


def test_an_editor_starts_a_statement_led_by_their_organisation(client):
    editor = make_user()
    council = make_organisation("Northshire County Council", kind=OrganisationKind.COUNCIL, admin=editor)
    client.login(editor)
    response = client.post("/statements/new", data={**FORM, "organisation": str(council.id)})
    assert response.status_code == 302
    statement = db.session.scalar(sa.select(Statement))
    assert response.headers["Location"] == f"/statements/{statement.slug}"
    assert statement.slug == "fund-councils-fairly"
    assert statement.lead_organisation_id == council.id
    assert statement.stage == Stage.DRAFT
    assert set(statement.topic_values) == {Topic.LOCAL_GOVERNMENT_FUNDING, Topic.GROWTH}
    [revision] = revisions_of(statement)
    assert (revision.number, revision.author_id, revision.organisation_id) == (1, editor.id, council.id)
    assert revision.asks == ["Restore the grant", "Stop the cuts"]
    page = client.get(response.headers["Location"]).text
    assert "Fund councils fairly" in page and "Second paragraph." in page and "Restore the grant" in page


def test_members_and_signatories_cannot_start_a_statement(client):
    organisation = make_organisation(admin=make_user())
    member = add_member(organisation, role=Role.SIGNATORY).user
    client.login(member)
    page = client.get("/statements/new")
    assert page.status_code == 403
    assert "Only editors and admins" in page.text
    assert "Start a statement" not in client.get("/statements/mine").text
    assert "Start a statement" not in client.get("/statements/mine").text


def test_a_statement_cannot_be_led_by_an_organisation_the_person_does_not_belong_to(client):
    editor = make_user()
    make_organisation(admin=editor)
    other = make_organisation()
    client.login(editor)
    page = client.post("/statements/new", data={**FORM, "organisation": str(other.id)})
    assert page.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"summary": " "}, "Enter a summary"),
        ({"summary": "x" * 601}, "Summary must be 600 characters or fewer"),
        ({"topics": []}, "Select at least one topic"),
        ({"topics": ["astrology"]}, "Select topics from the list"),
        ({"body": ""}, "Enter the text of the statement"),
        ({"body": "x" * 50_001}, "The statement must be 50,000 characters or fewer"),
        ({"asks": "\n \n"}, "Enter at least one ask"),
        ({"asks": "\n".join(f"Ask {n}" for n in range(21))}, "Enter 20 asks or fewer"),
        ({"asks": "x" * 301}, "Each ask must be 300 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_what_was_typed_is_kept(client, changes, message):
    editor = make_user()
    organisation = make_organisation(admin=editor)
    client.login(editor)
    page = client.post("/statements/new", data={**FORM, "organisation": str(organisation.id), **changes})
    assert page.status_code == 400
    assert message in page.text
    if "body" not in changes:
        assert "Second paragraph." in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_a_second_statement_with_the_same_title_gets_its_own_address(client):
    editor = make_user()
    organisation = make_organisation(admin=editor)
    client.login(editor)
    for _ in range(2):
        client.post("/statements/new", data={**FORM, "organisation": str(organisation.id)})
    assert db.session.scalars(sa.select(Statement.slug).order_by(Statement.id)).all() == [
        "fund-councils-fairly",
        "fund-councils-fairly-2",
    ]


def test_every_save_makes_a_new_revision_with_its_author_organisation_and_note(client):
    p = partnership()
    client.login(p.charity_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/edit",
        data=edit_form(p.statement, body=TEXT.body + "\n\nA fourth paragraph.", change_note="Added a close"),
    )
    assert response.status_code == 302
    first, second = revisions_of(p.statement)
    assert (second.number, second.author_id, second.organisation_id, second.change_note) == (
        2,
        p.charity_editor.id,
        p.charity.id,
        "Added a close",
    )
    assert second.body.endswith("A fourth paragraph.") and first.body == TEXT.body
    assert "Saved as revision 2" in client.get(response.headers["Location"]).text


def test_revisions_can_never_be_changed_or_deleted(app):
    statement = start_statement()
    for sql in ("UPDATE revisions SET title = 'x'", "DELETE FROM revisions"):
        with pytest.raises(sa.exc.DatabaseError, match="immutable"):
            db.session.execute(sa.text(sql))
        db.session.rollback()
    assert revisions_of(statement)[0].title == TEXT.title


def test_two_editors_changing_different_paragraphs_from_the_same_revision_both_keep_their_changes(client, app):
    p = partnership()
    base = edit_form(p.statement)
    first, second = app.test_client(), app.test_client()
    first.login(p.council_editor)
    second.login(p.charity_editor)
    paragraphs = TEXT.body.split("\n\n")
    first_body = "\n\n".join(["Councils face a £4bn funding gap.", *paragraphs[1:]])
    second_body = "\n\n".join([*paragraphs[:2], "We ask for a fair, multi-year settlement."])
    assert first.post(f"/statements/{p.statement.slug}/edit", data={**base, "body": first_body}).status_code == 302
    merged = second.post(
        f"/statements/{p.statement.slug}/edit", data={**base, "body": second_body, "title": "Fair funding now"}
    )
    assert merged.status_code == 302
    assert "both sets of changes are kept" in second.get(merged.headers["Location"]).text
    latest = revisions_of(p.statement)[-1]
    assert latest.number == 3
    assert latest.title == "Fair funding now"
    assert latest.body.split("\n\n") == [
        "Councils face a £4bn funding gap.",
        "Charities pick up the pieces.",
        "We ask for a fair, multi-year settlement.",
    ]


def test_two_editors_changing_the_same_paragraph_get_a_conflict_page_and_neither_text_is_lost(client, app):
    p = partnership()
    base = edit_form(p.statement)
    first, second = app.test_client(), app.test_client()
    first.login(p.council_editor)
    second.login(p.charity_editor)
    theirs = TEXT.body.replace("Councils face a funding gap.", "Councils face a £4bn funding gap.")
    mine = TEXT.body.replace("Councils face a funding gap.", "Councils and charities face a funding gap together.")
    first.post(f"/statements/{p.statement.slug}/edit", data={**base, "body": theirs})
    page = second.post(f"/statements/{p.statement.slug}/edit", data={**base, "body": mine, "change_note": "Mine"})
    assert page.status_code == 409
    assert "<title>Error: " in page.text
    assert "Someone else changed the same part while you were editing" in page.text
    assert "Councils face a £4bn funding gap." in page.text  # theirs, shown
    assert "Councils and charities face a funding gap together." in page.text  # mine, kept in the form
    assert len(revisions_of(p.statement)) == 2
    latest = revisions_of(p.statement)[-1]
    assert f'name="based_on" type="hidden" value="{latest.id}"' in page.text
    # Saving from the conflict page is deliberate: it replaces their version of that paragraph.
    resolved = second.post(
        f"/statements/{p.statement.slug}/edit", data={**base, "body": mine, "based_on": str(latest.id)}
    )
    assert resolved.status_code == 302
    assert revisions_of(p.statement)[-1].body == mine


def test_sending_the_same_edit_twice_saves_it_once(client):
    p = partnership()
    client.login(p.council_editor)
    data = edit_form(p.statement, title="Fair funding now")
    assert client.post(f"/statements/{p.statement.slug}/edit", data=data).status_code == 302
    again = client.post(f"/statements/{p.statement.slug}/edit", data=data)
    assert again.status_code == 302
    assert "There were no changes to save" in client.get(again.headers["Location"]).text
    assert len(revisions_of(p.statement)) == 2


@pytest.mark.parametrize("based_on", ["", "999999", "99999999999999999999", "²", "abc"])
def test_an_edit_whose_starting_revision_is_unknown_is_refused_and_the_text_kept(client, based_on):
    p = partnership()
    client.login(p.council_editor)
    page = client.post(
        f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="New title", based_on=based_on)
    )
    assert page.status_code == 400
    assert 'value="New title"' in page.text
    assert len(revisions_of(p.statement)) == 1


def test_an_edit_cannot_claim_to_start_from_another_statements_revision(client):
    p = partnership()
    other = start_statement()
    client.login(p.council_editor)
    page = client.post(
        f"/statements/{p.statement.slug}/edit",
        data=edit_form(p.statement, summary="Mine", based_on=str(other.current_revision_id)),
    )
    assert page.status_code == 400
    assert len(revisions_of(p.statement)) == 1


def test_an_invalid_edit_keeps_what_was_typed(client):
    p = partnership()
    client.login(p.council_editor)
    page = client.post(
        f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="", body="My long new text.")
    )
    assert page.status_code == 400
    assert "My long new text." in page.text
    assert len(revisions_of(p.statement)) == 1


def test_reviewers_and_members_cannot_edit(client):
    p = partnership()
    for person in (p.reviewer_member, p.council_member, p.charity_signatory):
        client.login(person)
        assert client.get(f"/statements/{p.statement.slug}/edit").status_code == 403
        response = client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="X"))
        assert response.status_code == 403
        client.logout()
    assert len(revisions_of(p.statement)) == 1


def test_a_draft_is_invisible_to_everyone_else(client):
    p = partnership()
    client.login(make_user())
    for path in ("", "/edit", "/history", "/compare", "/participants", "/activity", "/revisions/1", "/decide"):
        assert client.get(f"/statements/{p.statement.slug}{path}").status_code == 404, path
    assert client.get(f"/s/{p.statement.slug}").status_code == 404
    assert client.get(f"/s/{p.statement.slug}/r/1").status_code == 404


def test_history_lists_every_revision_and_compare_shows_words_added_and_removed(client):
    p = partnership()
    client.login(p.council_editor)
    client.post(
        f"/statements/{p.statement.slug}/edit",
        data=edit_form(
            p.statement, body=TEXT.body.replace("funding gap", "£4bn funding gap"), asks="Restore the grant"
        ),
    )
    history = client.get(f"/statements/{p.statement.slug}/history").text
    assert "Revision 1" in history and "Revision 2" in history
    compare = client.get(f"/statements/{p.statement.slug}/compare?from=1&to=2").text
    assert re.search(r'<ins class="app-diff__ins"><span class="govuk-visually-hidden">inserted: </span>£4bn', compare)
    assert "deleted: " in compare
    assert "underlined" in compare and "struck through" in compare
    assert client.get(f"/statements/{p.statement.slug}/compare?from=1&to=99").status_code == 404


def test_restoring_an_earlier_revision_makes_a_new_one(client):
    p = partnership()
    client.login(p.council_editor)
    client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="Wrong title"))
    response = client.post(f"/statements/{p.statement.slug}/revisions/1/restore")
    assert response.status_code == 302
    latest = revisions_of(p.statement)[-1]
    assert (latest.number, latest.title, latest.change_note) == (3, TEXT.title, "Restored revision 1")
    assert client.post(f"/statements/{p.statement.slug}/revisions/3/restore").status_code == 400


def test_a_lead_member_sees_the_draft_but_has_no_edit_button(client):
    p = partnership()
    client.login(p.council_member)
    page = client.get(f"/statements/{p.statement.slug}").text
    assert "Councils face a funding gap." in page
    assert "Edit the statement" not in page


def test_an_edit_sent_after_the_session_expired_is_kept_through_signing_in_again(client, app):
    import time

    from tests.factories import PASSWORD

    p = partnership()
    client.login(p.charity_editor)
    typed = edit_form(p.statement, body=TEXT.body + "\n\nWords typed over a long lunch.", change_note="Lunch")
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["CAMPAIGNS_SESSION_IDLE_MINUTES"] * 60 - 5
    page = client.post(f"/statements/{p.statement.slug}/edit", data=typed)
    assert page.status_code == 401
    assert "Sign in to finish what you were doing" in page.text
    assert "Words typed over a long lunch." in page.text  # carried in the page, not lost
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    carried = dict(hidden)
    assert carried["resume_to"] == f"/statements/{p.statement.slug}/edit"

    data = {name: value for name, value in typed.items()}
    signed_in = client.post(
        "/sign-in/resume",
        data={**data, "resume_to": carried["resume_to"], "email": p.charity_editor.email, "password": PASSWORD},
    )
    assert signed_in.status_code == 200
    assert "Send it now" in signed_in.text and "Words typed over a long lunch." in signed_in.text
    saved = client.post(carried["resume_to"], data=data)
    assert saved.status_code == 302
    assert revisions_of(p.statement)[-1].body.endswith("Words typed over a long lunch.")


def test_a_wrong_password_when_signing_in_again_keeps_the_text_too(client, app):
    import time

    p = partnership()
    client.login(p.charity_editor)
    typed = edit_form(p.statement, title="Kept title")
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["CAMPAIGNS_SESSION_IDLE_MINUTES"] * 60 - 5
    client.post(f"/statements/{p.statement.slug}/edit", data=typed)
    again = client.post(
        "/sign-in/resume",
        data={
            **typed,
            "resume_to": f"/statements/{p.statement.slug}/edit",
            "email": p.charity_editor.email,
            "password": "wrong one",
        },
    )
    assert again.status_code == 400
    assert 'value="Kept title"' in again.text
    assert len(revisions_of(p.statement)) == 1


def test_an_edit_whose_page_expired_can_be_sent_again_without_retyping(client):
    p = partnership()
    client.login(p.council_editor)
    typed = edit_form(p.statement, title="Typed before the token expired")
    page = client.post(f"/statements/{p.statement.slug}/edit", data={**typed, "csrf_token": "expired"}, csrf=False)
    assert page.status_code == 400
    assert "nothing you typed has been lost" in page.text
    assert 'value="Typed before the token expired"' in page.text
    assert client.post(f"/statements/{p.statement.slug}/edit", data=typed).status_code == 302
