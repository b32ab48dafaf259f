"""Downloading a statement's signatories as CSV: the public list for anyone, the full record for its owners."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, request, stream_with_context
from flask_login import current_user, login_required

from campaigns.caching import public_page
from campaigns.database import utcnow
from campaigns.errors import NotFound
from campaigns.organisations.acting import acting_for
from campaigns.signatures import contacts, exports
from campaigns.signatures.blueprint import bp
from campaigns.signatures.panel import cache_parts
from campaigns.signatures.public_list import Filters
from campaigns.signatures.services import launched, settings_for
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.permissions import Action
from campaigns.statements.queries import published_by_slug


def _download(pieces: Iterator[str], filename: str) -> Response:
    """Stream the file as it is written: the rows are read from the database a batch at a time."""
    return Response(
        stream_with_context(pieces),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/s/<slug>/signatories.csv")
@public_page(cache_parts)
def signatories_csv(slug: str) -> Response:
    statement = published_by_slug(slug)
    settings = settings_for(statement)
    if not launched(settings):
        raise NotFound("The list of signatories will be published when the statement is launched.")
    filters = Filters.parse(request.args.get("kind"), request.args.get("region"), request.args.get("q"))
    return _download(exports.public_file(statement.id, settings, filters), f"{statement.slug}-signatories.csv")


@bp.get("/statements/<slug>/signatures.csv")
@login_required
def signatures_csv(slug: str) -> Response:
    """Everything about every signature: for the statement's owners only, each author organisation's people seeing
    the email addresses of those who agreed that organisation may contact them, and no others."""
    statement = visible_statement(
        slug, Action.EDIT, refusal="Only editors of the lead and co-author organisations can download the signatures."
    )
    viewer = contacts.viewing_organisation(current_user, statement, acting_for())
    filename = f"{statement.slug}-signatures-{viewer.slug}-{utcnow():%Y-%m-%d}.csv"
    return _download(exports.owner_file(statement.id, viewer.id), filename)
