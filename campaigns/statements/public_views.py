"""The public face of a statement: its page once agreed and opened, permalinks, and the list of open statements."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from campaigns.caching import public_page
from campaigns.statements import queries
from campaigns.statements.blueprint import bp
from campaigns.statements.markdown import render_markdown
from campaigns.statements.models import Revision, Stage, Statement, Topic
from campaigns.statements.permissions import Action, can, require_revision_visible


def _page(statement: Statement, revision: Revision) -> str:
    return render_template(
        "statements/public.html",
        statement=statement,
        revision=revision,
        body=render_markdown(revision.body),
        authors=queries.agreeing_organisations(statement, revision),
        is_agreed_text=revision.id == statement.agreed_revision_id,
        may_read_draft=can(current_user, statement, Action.READ),
    )


def _cache_parts(slug: str, **_: object) -> tuple[object, ...]:
    from campaigns.signatures.panel import cache_parts  # the page shows the counts (signatures builds on statements)

    return cache_parts(slug)


@bp.get("/s/<slug>")
@public_page(_cache_parts)
def public(slug: str) -> str:
    statement = queries.published_by_slug(slug)
    return _page(statement, statement.published_revision)


@bp.get("/s/<slug>/r/<id:number>")
def public_revision(slug: str, number: int) -> str:
    """A permalink to one revision. Drafts are for the organisations working on it; agreed texts are public."""
    statement = queries.statement_by_slug(slug)
    revision = queries.revision_number(statement, number)
    require_revision_visible(current_user, statement, revision)
    return _page(statement, revision)


@bp.get("/statements")
@public_page()
def open_statements() -> str:
    topic = next((t for t in Topic if t.value == request.args.get("topic")), None)
    return render_template(
        "statements/list.html",
        open_statements=queries.published(Stage.OPEN, topic),
        closed_statements=queries.published(Stage.CLOSED, topic),
        topic=topic,
        topics=list(Topic),
    )
