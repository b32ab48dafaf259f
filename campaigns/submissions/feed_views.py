"""Atom feeds of public replies: to one statement (its page links to it) and from one target (likewise).

Each entry's link is the reply's place on the page (`#reply-<id>`), which is also its id, so a reader shows each
reply once. Only what the pages show is in them: public replies to published statements, never private ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Response
from flask_login import current_user
from markupsafe import Markup, escape

from campaigns import feeds
from campaigns.statements.permissions import require_visible
from campaigns.statements.queries import published_by_slug
from campaigns.submissions import queries
from campaigns.submissions.blueprint import bp
from campaigns.submissions.models import Response as Reply
from campaigns.urls import external_url


def _content(reply: Reply) -> str:
    paragraphs = [reply.summary] + ([reply.full_text] if reply.full_text else [])
    return str(Markup("").join(Markup("<p>{}</p>").format(escape(text)) for text in paragraphs))


def _entry(reply: Reply, link: str) -> feeds.Entry:
    submission = reply.submission
    received = datetime.combine(reply.received_on, time(), tzinfo=UTC)
    return feeds.Entry(
        title=f"{reply.kind.label} from {reply.from_whom} on ‘{submission.revision.title}’",
        link=f"{link}#reply-{reply.id}",
        published=received,
        updated=max(received, reply.created_at),
        content_html=_content(reply),
        author=reply.from_whom,
        summary=f"{submission.target.name} replied ({reply.stance.label.lower()}).",
    )


def _feed(title: str, page: str, self_link: str, subtitle: str, replies: list[Reply]) -> Response:
    atom = feeds.atom(
        feeds.Feed(title=title, link=page, self_link=self_link, subtitle=subtitle),
        [_entry(reply, page) for reply in replies],
    )
    return Response(atom, mimetype=feeds.ATOM_MIMETYPE)


@bp.get("/s/<slug>/replies.atom")
def statement_replies_feed(slug: str) -> Response:
    statement = published_by_slug(slug)
    title = statement.agreed_revision.title if statement.agreed_revision else statement.slug
    return _feed(
        f"Replies to ‘{title}’",
        external_url("statements.public", slug=statement.slug),
        external_url("submissions.statement_replies_feed", slug=statement.slug),
        "Public replies from the bodies this statement was sent to.",
        queries.public_replies_to(statement),
    )


@bp.get("/targets/<slug>/replies.atom")
def target_replies_feed(slug: str) -> Response:
    target = queries.target_by_slug(slug)
    if target.statement is not None and not target.statement.is_published:
        require_visible(current_user, target.statement)
    return _feed(
        f"Replies from {target.name}",
        external_url("submissions.target", slug=target.slug),
        external_url("submissions.target_replies_feed", slug=target.slug),
        f"Public replies {target.label} has sent to statements on Common Ground.",
        queries.public_replies_from(target),
    )
