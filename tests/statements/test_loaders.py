"""One loader per statement and one slug helper: who gets the statement, who gets 404 and who gets 403."""

from __future__ import annotations

import pytest

from campaigns.errors import NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.slugs import free_slug, slugify
from campaigns.statements import signoff
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, statement_for
from campaigns.statements.queries import published_by_slug
from tests.factories import make_organisation, make_user
from tests.statements.builders import agree, partnership


def test_a_draft_is_found_only_by_those_taking_part_and_changed_only_by_its_editors(app):
    p = partnership()
    slug = p.statement.slug
    assert statement_for(slug, Action.EDIT, actor=p.council_editor).id == p.statement.id
    assert statement_for(slug, actor=p.reviewer_member).id == p.statement.id
    with pytest.raises(PermissionDenied, match="Only editors of the lead and co-author organisations"):
        statement_for(slug, Action.EDIT, actor=p.reviewer_member)
    with pytest.raises(PermissionDenied, match="Not you"):
        statement_for(slug, Action.EDIT, refusal="Not you", actor=p.council_member)
    # Either of two actions is enough.
    assert statement_for(slug, Action.EDIT, Action.APPROVE, actor=p.council_signatory).id == p.statement.id
    outsider = make_user()
    make_organisation("Elsewhere Trust", admin=outsider)
    with pytest.raises(NotFound):
        statement_for(slug, Action.EDIT, actor=outsider)
    with pytest.raises(NotFound):
        statement_for("no-such-statement", actor=outsider)


def test_only_an_open_or_closed_statement_is_public(app):
    p = partnership()
    with pytest.raises(NotFound):
        published_by_slug(p.statement.slug)
    agree(p)
    with pytest.raises(NotFound):  # agreed, not yet opened
        published_by_slug(p.statement.slug)
    signoff.open_for_signatures(p.statement, actor=p.council_editor)
    db.session.commit()
    assert published_by_slug(p.statement.slug).id == p.statement.id
    with pytest.raises(NotFound):
        published_by_slug("no-such-statement")


def test_one_slug_helper_names_organisations_statements_and_targets(app):
    assert slugify("Café Trust (North)") == "cafe-trust-north"
    assert slugify("!!!", fallback="statement") == "statement"
    assert len(slugify("word " * 40, max_length=80)) <= 80
    assert free_slug(Statement.slug, "Fund councils fairly") == "fund-councils-fairly"
    p = partnership()
    title = p.statement.current_revision.title
    assert p.statement.slug == slugify(title, max_length=80)
    assert free_slug(Statement.slug, title, max_length=80) == f"{p.statement.slug}-2"
    assert free_slug(Organisation.slug, "New", reserved={"new"}) == "new-2"
