"""The public read API: published statements, their signatories, counts and submissions, targets, organisations.

Each view reads through the area's own queries, exactly as the public page does, and is cached like it
(`public_page`: an ETag worked out before anything is read for the body, 304 to a matching If-None-Match,
`Cache-Control: public, max-age=0, s-maxage=60, stale-while-revalidate=300`). The API never looks at who is signed
in: it shows what the public pages show to a visitor, whoever asks.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect

from campaigns.api import representations as show
from campaigns.api import schemas
from campaigns.api.blueprint import bp
from campaigns.api.openapi import VERSION, document, responses, spec
from campaigns.caching import public_page
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations import queries as organisation_queries
from campaigns.organisations.models import Organisation
from campaigns.signatures import public_list
from campaigns.signatures.panel import cache_parts, panel_for
from campaigns.signatures.services import settings_for
from campaigns.statements import queries as statement_queries
from campaigns.statements.models import Stage, Topic
from campaigns.submissions import queries as submission_queries

STATEMENTS = "Statements"
TARGETS = "Targets"
ORGANISATIONS = "Organisations"


def _json(model: schemas.Resource) -> Response:
    return Response(model.model_dump_json(), mimetype="application/json")


def _statement_parts(slug: str, **_: object) -> tuple[object, ...]:
    return cache_parts(slug)


@bp.get("/api/v1/")
@public_page()
@spec.validate(resp=responses(schemas.Index), tags=["Index"])
def index() -> Response:
    """The API's starting point

    Links to the lists of statements, targets and organisations, the OpenAPI description and the documentation
    for people.
    """
    return _json(
        schemas.Index(
            name="Common Ground API",
            version=VERSION,
            links=schemas.IndexLinks(
                self=show.url("api.index"),
                statements=show.url("api.statements"),
                targets=show.url("api.targets"),
                organisations=show.url("api.organisations"),
                openapi=show.url("api.openapi"),
                documentation=show.url("api.documentation"),
            ),
        )
    )


@bp.get("/api/v1/openapi.json")
@public_page()
def openapi() -> Response:
    """This API's OpenAPI 3.1 description, generated from the code (not itself described in it)."""
    return Response(current_app.json.dumps(document()), mimetype="application/json")


@bp.get("/api/v1/statements")
@public_page()
@spec.validate(query=schemas.StatementQuery, resp=responses(schemas.StatementList), tags=[STATEMENTS])
def statements(query: schemas.StatementQuery) -> Response:
    """Published statements

    Statements open for signatures, then closed ones, each most recently opened first; filtered by stage and topic.
    """
    topic = Topic(query.topic) if query.topic else None
    stages = [Stage(query.stage)] if query.stage else [Stage.OPEN, Stage.CLOSED]
    found = [statement for stage in stages for statement in statement_queries.published(stage, topic)]
    return _json(
        schemas.StatementList(
            items=[show.statement_summary(statement) for statement in found],
            links=schemas.PageLinks(self=show.url("api.statements"), html=show.url("statements.open_statements")),
        )
    )


@bp.get("/api/v1/statements/<slug>")
@public_page(_statement_parts)
@spec.validate(resp=responses(schemas.Statement), tags=[STATEMENTS])
def statement(slug: str) -> Response:
    """A published statement

    Its agreed text, the organisations that agreed it and the permanent links of every text they agreed.
    """
    found = statement_queries.published_by_slug(slug)
    authors = statement_queries.agreeing_organisations(found, found.published_revision)
    return _json(show.statement(found, authors, submission_queries.agreed_revisions(found)))


@bp.get("/api/v1/statements/<slug>/revisions/<int(min=1, max=2147483647):number>")
@public_page(_statement_parts)
@spec.validate(resp=responses(schemas.Revision), tags=[STATEMENTS])
def revision(slug: str, number: int) -> Response:
    """An agreed text of a published statement

    Every revision the authors agreed is public, as at its permanent link; drafts are not found.
    """
    found = statement_queries.published_by_slug(slug)
    text = statement_queries.revision_number(found, number)
    if not statement_queries.was_agreed(found, text):
        raise NotFound(f"This statement has no agreed revision {number}.")
    return _json(show.revision(found, text))


def _signatories_link(slug: str, filters: public_list.Filters, limit: int, **key: int) -> str:
    extra: dict[str, Any] = {"limit": limit} if limit != public_list.PAGE_SIZE else {}
    return show.url("api.signatories", slug=slug, **filters.args(), **extra, **key)


@bp.get("/api/v1/statements/<slug>/signatories")
@public_page(_statement_parts)
@spec.validate(query=schemas.SignatoryQuery, resp=responses(schemas.SignatoryPage), tags=[STATEMENTS])
def signatories(slug: str, query: schemas.SignatoryQuery) -> Response:
    """A statement's public signatories

    The organisations on its public list, newest first, a page at a time (follow `links.older` and `links.newer`),
    filtered as on the signatories page. Organisations that asked not to be named are never listed, and before the
    statement's launch nothing is.
    """
    found = statement_queries.published_by_slug(slug)
    panel = panel_for(found)
    filters = public_list.Filters.parse(query.kind, query.region, query.q)
    self_link = _signatories_link(slug, filters, query.limit, **({"after": query.after} if query.after else {}))
    links = schemas.SignatoryLinks(
        self=self_link,
        html=show.url("signatures.signatories", slug=slug, **filters.args()),
        statement=show.url("api.statement", slug=slug),
        newer=None,
        older=None,
    )
    applied = schemas.SignatoryFilters(kind=filters.kind, region=filters.region, q=filters.search)
    if not panel.public:
        return _json(schemas.SignatoryPage(launched=False, filters=applied, items=[], links=links))
    page = public_list.page(
        found.id, settings_for(found), filters, after=query.after, before=query.before, size=query.limit
    )
    if page.newer_before is not None:
        links.newer = _signatories_link(slug, filters, query.limit, before=page.newer_before)
    if page.older_after is not None:
        links.older = _signatories_link(slug, filters, query.limit, after=page.older_after)
    return _json(
        schemas.SignatoryPage(
            launched=True, filters=applied, items=[show.signatory(s) for s in page.signatures], links=links
        )
    )


@bp.get("/api/v1/statements/<slug>/counts")
@public_page(_statement_parts)
@spec.validate(resp=responses(schemas.Counts), tags=[STATEMENTS])
def counts(slug: str) -> Response:
    """How many organisations have signed a statement

    By kind (every counted signature, named or not, as the statement's page gives) and by region (the named
    ones). Before the statement's launch the counts are not public: every number is 0 and `launched` false.
    """
    found = statement_queries.published_by_slug(slug)
    panel = panel_for(found)
    settings = settings_for(found)
    public = panel.public
    return _json(
        schemas.Counts(
            launched=public,
            as_of=panel.as_of,
            total=panel.totals.total if public else 0,
            by_kind={kind.value: (n if public else 0) for kind, n in panel.totals.by_kind.items()},
            by_region=public_list.counts_by_region(found.id, settings) if public else {},
            target=panel.target,
            verified_only=settings.verified_only,
            links=schemas.CountsLinks(
                self=show.url("api.counts", slug=slug),
                html=show.url("signatures.signatories", slug=slug),
                statement=show.url("api.statement", slug=slug),
            ),
        )
    )


@bp.get("/api/v1/statements/<slug>/submissions")
@public_page(_statement_parts)
@spec.validate(resp=responses(schemas.SubmissionList), tags=[STATEMENTS])
def submissions(slug: str) -> Response:
    """Where a statement was sent, and the replies

    Each target it was sent to, newest first, with the replies: a reply's content only where the authors made it
    public.
    """
    found = statement_queries.published_by_slug(slug)
    return _json(
        schemas.SubmissionList(
            items=[show.sent_to(s) for s in submission_queries.public_for_statement(found)],
            links=schemas.CountsLinks(
                self=show.url("api.submissions", slug=slug),
                html=show.url("statements.public", slug=slug),
                statement=show.url("api.statement", slug=slug),
            ),
        )
    )


def _target(target: Any) -> schemas.Target:
    record = submission_queries.target_record(target)
    return schemas.Target(
        **show.target_summary(target).model_dump(),
        record=schemas.TargetRecord(
            sent=record.sent,
            responded=record.responded,
            response_rate=record.response_rate,
            median_working_days=record.median_days,
        ),
        submissions=[show.sent_statement(s) for s in record.submissions],
    )


@bp.get("/api/v1/targets")
@public_page()
@spec.validate(resp=responses(schemas.TargetList), tags=[TARGETS])
def targets() -> Response:
    """Where statements are sent

    The directory of targets (departments, committees, parties and others), each with its response rate, median
    time to reply in working days and the public statements sent to it.
    """
    return _json(
        schemas.TargetList(
            items=[_target(target) for target in submission_queries.directory()],
            links=schemas.PageLinks(self=show.url("api.targets"), html=show.url("submissions.directory")),
        )
    )


@bp.get("/api/v1/targets/<slug>")
@public_page()
@spec.validate(resp=responses(schemas.Target), tags=[TARGETS])
def target(slug: str) -> Response:
    """A target's record

    Its response rate and median time to reply, and the public statements sent to it with the replies.
    """
    found = submission_queries.target_by_slug(slug)
    if found.statement is not None and not found.statement.is_published:
        raise NotFound("We could not find that target.")  # a draft statement's own target is as private as it
    return _json(_target(found))


def _organisations_link(endpoint: str, query: schemas.OrganisationQuery, **values: Any) -> str:
    filters: dict[str, Any] = {"kind": query.kind, "region": query.region}
    if endpoint == "api.organisations" and query.limit != schemas.ORGANISATIONS_PAGE:
        filters["limit"] = query.limit
    return show.url(endpoint, **{name: value for name, value in filters.items() if value}, **values)


@bp.get("/api/v1/organisations")
@public_page()
@spec.validate(query=schemas.OrganisationQuery, resp=responses(schemas.OrganisationList), tags=[ORGANISATIONS])
def organisations(query: schemas.OrganisationQuery) -> Response:
    """Organisations

    Every organisation the site's directory lists (verified or not: `verified` says), in the order they joined,
    a page at a time (follow `links.next` until it is absent), filtered by kind and region. An organisation merged
    into another is not listed. As on their profiles, no contact email is given.
    """
    page = organisation_queries.listed(
        kind=query.kind or "", region=query.region or "", after=query.after, size=query.limit
    )
    links = schemas.OrganisationListLinks(
        self=_organisations_link("api.organisations", query, **({"after": query.after} if query.after else {})),
        html=_organisations_link("organisations.directory", query),
        next=_organisations_link("api.organisations", query, after=page.next_after) if page.next_after else None,
    )
    return _json(
        schemas.OrganisationList(
            filters=schemas.OrganisationFilters(kind=query.kind, region=query.region),
            items=[show.organisation_summary(organisation) for organisation in page.organisations],
            links=links,
        )
    )


@bp.get("/api/v1/organisations/<slug>")
@public_page()
@spec.validate(resp=responses(schemas.Organisation, moved=True), tags=[ORGANISATIONS])
def organisation(slug: str) -> Response:
    """An organisation's public profile

    Its kind, region, identifiers (org-id.guide where it has one), verification and register status. An
    organisation merged into another answers 301, to the one kept.
    """
    found = organisation_queries.organisation_by_slug(slug)
    if found.merged_into_id is not None:
        kept = db.session.get(Organisation, found.merged_into_id)
        if kept is not None:
            return redirect(show.url("api.organisation", slug=kept.slug), 301)  # type: ignore[return-value]
    return _json(show.organisation(found))
