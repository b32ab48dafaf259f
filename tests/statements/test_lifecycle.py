"""The edges of a statement's life: stale answers, late joiners, closed statements, topics."""

import pytest
import sqlalchemy as sa

from campaigns.errors import Conflict, DomainError
from campaigns.extensions import db
from campaigns.statements import participation, services, signoff
from campaigns.statements.models import Approval, Decision, ParticipantRole, Stage, Topic
from campaigns.statements.services import Draft
from tests.factories import make_organisation, make_user
from tests.statements.builders import TEXT, agree, join, partnership, publish
from tests.statements.test_drafting import edit_form


def save_topics(p, topics, based_on=None, actor=None):
    services.save(
        p.statement,
        Draft(text=services.text_of(p.statement.current_revision), topics=frozenset(topics)),
        based_on=based_on or p.statement.current_revision,
        actor=actor or p.council_editor,
    )
    db.session.commit()


def test_an_answer_to_a_revision_that_is_no_longer_proposed_is_refused_after_taking_the_lock(app):
    p = partnership()
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    read = p.statement.proposed_revision_id
    save_topics(p, {Topic.GROWTH})  # a new draft: the proposal lapses
    signoff.propose(p.statement, actor=p.council_editor)
    db.session.commit()
    with pytest.raises(Conflict, match="changed while you were reading"):
        signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory, revision_id=read)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Approval)) == 0


def test_inviting_the_same_organisation_twice_emails_its_admins_once(client, deliver):
    p = partnership()
    deliver()
    other_admin = make_user()
    other = make_organisation("Another Charity", admin=other_admin)
    client.login(p.council_editor)
    for _ in range(2):
        client.post(
            f"/statements/{p.statement.slug}/participants", data={"organisation_id": str(other.id), "role": "reviewer"}
        )
    assert [m.recipients for m in deliver()] == [[other_admin.email]]
    again = client.post(
        f"/statements/{p.statement.slug}/participants", data={"organisation_id": str(other.id), "role": "co_author"}
    )
    assert again.status_code == 302
    assert [m.recipients for m in deliver()] == [[other_admin.email]]  # a different part: a new invitation


def test_a_closed_statements_text_can_no_longer_change(client):
    p = partnership()
    publish(p)
    signoff.close(p.statement, actor=p.council_editor)
    db.session.commit()
    client.login(p.council_editor)
    page = client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="Too late"))
    assert page.status_code == 400 and "closed" in page.text
    with pytest.raises(DomainError, match="closed"):
        participation.invite(p.statement, make_organisation(), ParticipantRole.REVIEWER, actor=p.council_editor)
    db.session.rollback()
    assert p.statement.current_revision.title == TEXT.title


def test_editing_an_agreed_statement_keeps_it_agreed_on_its_agreed_revision(client):
    p = partnership()
    agree(p)
    client.login(p.charity_editor)
    client.post(f"/statements/{p.statement.slug}/edit", data=edit_form(p.statement, title="A newer draft"))
    db.session.refresh(p.statement)
    assert p.statement.stage == Stage.AGREED
    assert p.statement.agreed_revision.title == TEXT.title
    client.logout()
    client.login(p.council_editor)
    page = client.get(f"/statements/{p.statement.slug}").text
    assert "Open for signatures" in page and "newer draft" in page


def test_an_organisation_that_joined_after_agreement_is_not_shown_as_an_author_of_the_agreed_text(client):
    p = partnership()
    publish(p)
    late_admin = make_user()
    late = make_organisation("Late Joiner Trust", admin=late_admin)
    join(p.statement, late, ParticipantRole.CO_AUTHOR, by=p.council_editor, admin=late_admin)
    page = client.get(f"/s/{p.statement.slug}").text
    assert "Northshire Food Bank" in page and "Late Joiner Trust" not in page


def test_topics_from_two_editors_are_merged_and_listed_publicly_once_agreed(app):
    p = partnership()
    base = p.statement.current_revision
    save_topics(p, {Topic.LOCAL_GOVERNMENT_FUNDING, Topic.GROWTH}, base)
    # The charity, still working from the first revision, drops local government funding and adds social security.
    save_topics(p, {Topic.SOCIAL_SECURITY}, base, actor=p.charity_editor)
    assert set(p.statement.current_revision.topic_values) == {Topic.GROWTH, Topic.SOCIAL_SECURITY}
    assert p.statement.topic_values == [Topic.LOCAL_GOVERNMENT_FUNDING]  # listed as at the start, until agreed
    agree(p)
    assert set(p.statement.topic_values) == {Topic.GROWTH, Topic.SOCIAL_SECURITY}
