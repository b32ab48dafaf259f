"""Private reads with an organisation's API token (`Authorization: Bearer …`): its statements' signatories, with
the contact details each agreed to give it, and its submissions with every reply. Each use is in the activity log.

No token or a token not valid: 401; a token without the scope: 403; a statement the organisation does not write:
404. Never cached by anyone (`Cache-Control: private, no-store`).
"""

from __future__ import annotations

from flask import Response, request

from campaigns.api import private_schemas as private
from campaigns.api import representations as show
from campaigns.api import schemas, services
from campaigns.api.blueprint import bp
from campaigns.api.models import ApiToken, Scope
from campaigns.api.openapi import BEARER, responses, spec
from campaigns.caching import private as no_store
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.signatures import owner_list
from campaigns.signatures.queries import may_contact
from campaigns.statements import queries as statement_queries
from campaigns.submissions import queries as submission_queries
from campaigns.submissions.models import Response as Reply
from campaigns.submissions.workdays import today_in_london

PRIVATE = "With an API token"
SECURITY: dict[str, list[str]] = {BEARER: []}


def _authorised(scope: Scope) -> ApiToken:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return services.use_token(secret.strip() if scheme.lower() == "bearer" else None, scope, reading=request.path)


def _answer(model: schemas.Resource) -> Response:
    db.session.commit()  # the token's use, recorded
    response = Response(model.model_dump_json(), mimetype="application/json")
    no_store(response)
    return response


@bp.get("/api/v1/private/statements/<slug>/contacts")
@spec.validate(
    query=private.ContactQuery,
    resp=responses(private.ContactPage, 401, 403),
    tags=[PRIVATE],
    security=SECURITY,
)
def contacts(slug: str, query: private.ContactQuery) -> Response:
    """Your statement's signatories, with their contacts

    Every signature of a statement your organisation leads or co-authors, whatever its state, newest first, as in
    the owners' list: the signer's email address only where they agreed your organisation may contact them.
    Scope: `contacts`.
    """
    token = _authorised(Scope.CONTACTS)
    statement = statement_queries.statement_by_slug(slug)
    if token.organisation_id not in {o.id for o in statement_queries.author_organisations(statement)}:
        raise NotFound("We could not find that statement among your organisation's.")
    page = owner_list.page(statement.id, status=None, search="", after=owner_list.Cursor.parse(query.cursor))
    allowed = may_contact([s.id for s in page.signatures], token.organisation)
    self_link = show.url("api.contacts", slug=slug, **({"cursor": query.cursor} if query.cursor else {}))
    title = (statement.agreed_revision or statement.latest_revision).title
    return _answer(
        private.ContactPage(
            statement=show.statement_reference(statement, title),
            items=[
                private.Contact(
                    id=s.id,
                    organisation=show.organisation_summary(s.organisation),
                    status=owner_list.status_of(s),
                    signer_name=s.signer_name,
                    signer_role=s.signer_role,
                    email=s.signer_email if s.id in allowed else None,
                    may_contact=s.id in allowed,
                    wants_updates=s.wants_updates,
                    signed_at=s.created_at,
                    confirmed_at=s.confirmed_at,
                )
                for s in page.signatures
            ],
            links=private.ContactLinks(
                self=self_link,
                html=show.url("signatures.owners", slug=slug),
                next=show.url("api.contacts", slug=slug, cursor=str(page.next_cursor)) if page.next_cursor else None,
            ),
        )
    )


def _reply(reply: Reply) -> private.PrivateReply:
    return private.PrivateReply(
        id=reply.id,
        kind=reply.kind,
        received_on=reply.received_on,
        public=reply.is_public,
        from_whom=reply.from_whom,
        stance=reply.stance,
        summary=reply.summary,
        full_text=reply.full_text,
        follow_up=reply.follow_up,
    )


@bp.get("/api/v1/private/submissions")
@spec.validate(resp=responses(private.OwnSubmissionList, 401, 403), tags=[PRIVATE], security=SECURITY)
def own_submissions() -> Response:
    """Your submissions and replies

    Every submission of the statements your organisation leads or co-authors, newest first, with every reply in
    full, private ones included. Scope: `submissions`.
    """
    token = _authorised(Scope.SUBMISSIONS)
    organisation = token.organisation
    found = submission_queries.for_organisation(organisation, today_in_london())
    return _answer(
        private.OwnSubmissionList(
            organisation=show.organisation_summary(organisation),
            items=[
                private.OwnSubmission(
                    **show.submission_fields(s),
                    statement=show.statement_reference(s.statement, s.revision.title),
                    target=show.target_summary(s.target),
                    reference=s.reference,
                    expected_by=s.expected_by,
                    private_replies=[_reply(r) for r in s.responses],
                )
                for s in found
            ],
            links=schemas.PageLinks(
                self=show.url("api.own_submissions"),
                html=show.url("submissions.dashboard", slug=organisation.slug),
            ),
        )
    )
