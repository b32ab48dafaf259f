"""The public face of a statement: its page once agreed and opened, permalinks, and the list of open statements."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from campaigns import feeds
from campaigns.caching import public_page
from campaigns.statements import queries
from campaigns.statements.blueprint import bp
from campaigns.statements.markdown import render_markdown
from campaigns.statements.models import Revision, Stage, Statement, Topic
from campaigns.statements.permissions import Action, can, require_revision_visible
from campaigns.urls import external_url


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


@bp.get("/statements.atom")
def feed() -> Response:
    """New public statements, newest first: each entry is the agreed text, linking to the statement's page."""
    entries = []
    for statement in queries.newest_published():
        revision = statement.agreed_revision
        assert revision is not None and statement.opened_at is not None
        entries.append(
            feeds.Entry(
                title=revision.title,
                link=external_url("statements.public", slug=statement.slug),
                published=statement.opened_at,
                updated=statement.opened_at,
                content_html=str(render_markdown(revision.body)),
                author=statement.lead_organisation.name,
                summary=revision.summary,
            )
        )
    atom = feeds.atom(
        feeds.Feed(
            title="New joint statements on Common Ground",
            link=external_url("statements.open_statements"),
            self_link=external_url("statements.feed"),
            subtitle="Position statements councils and charities have agreed and opened for signatures.",
        ),
        entries,
    )
    return Response(atom, mimetype=feeds.ATOM_MIMETYPE)
