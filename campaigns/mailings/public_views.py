"""The public side of email updates: the published updates of a statement, each on its own page, its Atom feed,
and unsubscribing (no sign-in). The updates show their merge fields in general terms."""

from __future__ import annotations

from flask import Response, render_template, request

from campaigns import feeds
from campaigns.extensions import csrf, db, limiter
from campaigns.mailings import queries, unsubscribing
from campaigns.mailings.blueprint import bp
from campaigns.mailings.models import Mailing
from campaigns.statements.markdown import render_markdown
from campaigns.statements.models import Statement
from campaigns.statements.queries import published_by_slug
from campaigns.urls import external_url


def _title(statement: Statement) -> str:
    revision = statement.agreed_revision or statement.current_revision
    return revision.title if revision else statement.slug


@bp.get("/s/<slug>/updates")
def public(slug: str) -> str:
    statement = published_by_slug(slug)
    return render_template("mailings/public.html", statement=statement, updates=queries.published_updates(statement))


@bp.get("/s/<slug>/updates/<id:update_id>")
def public_update(slug: str, update_id: int) -> str:
    statement = published_by_slug(slug)
    mailing = queries.published_update(statement, update_id)
    return render_template(
        "mailings/public_update.html",
        statement=statement,
        mailing=mailing,
        body=render_markdown(mailing.public_body),
    )


def _entry(statement: Statement, mailing: Mailing) -> feeds.Entry:
    assert mailing.published_at is not None
    return feeds.Entry(
        title=mailing.title,
        link=external_url("mailings.public_update", slug=statement.slug, update_id=mailing.id),
        published=mailing.published_at,
        updated=mailing.published_at,
        content_html=str(render_markdown(mailing.public_body)),
        author=mailing.organisation.name,
    )


@bp.get("/s/<slug>/updates.atom")
def feed(slug: str) -> Response:
    statement = published_by_slug(slug)
    atom = feeds.atom(
        feeds.Feed(
            title=f"Updates on ‘{_title(statement)}’",
            link=external_url("mailings.public", slug=statement.slug),
            self_link=external_url("mailings.feed", slug=statement.slug),
            subtitle="Email updates its co-authors sent to the organisations that signed, published on Common Ground.",
        ),
        [_entry(statement, mailing) for mailing in queries.published_updates(statement)],
    )
    return Response(atom, mimetype=feeds.ATOM_MIMETYPE)


# Unsubscribing: no sign-in. The GET shows a button (mail scanners follow links); the POST does it, and is
# also the RFC 8058 one-click POST that mail clients send, so it takes no CSRF token: the signed link is the key.


@bp.route("/updates/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("30 per minute", methods=["POST"])
def unsubscribe(token: str) -> str | tuple[str, int]:
    if request.method == "GET":
        found = unsubscribing.read_unsubscribe(token)
        if unsubscribing.is_suppressed(found.email, found.statement):
            page = render_template(
                "mailings/unsubscribed.html", found=found, token=token, already=True, title=_title(found.statement)
            )
            return page, 400
        return render_template("mailings/unsubscribe.html", found=found, token=token, title=_title(found.statement))
    found = unsubscribing.unsubscribe(token)
    db.session.commit()
    return render_template(
        "mailings/unsubscribed.html", found=found, token=token, already=False, title=_title(found.statement)
    )


@bp.post("/updates/unsubscribe/<token>/all")
@csrf.exempt
@limiter.limit("30 per minute")
def unsubscribe_all(token: str) -> str:
    found = unsubscribing.unsubscribe(token, everything=True)
    db.session.commit()
    return render_template("mailings/unsubscribed_all.html", found=found)
