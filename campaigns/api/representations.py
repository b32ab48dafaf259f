"""Turning the areas' models into the API's resources (campaigns.api.schemas). Nothing here reads the database
beyond what the areas' queries already loaded, except through those queries."""

from __future__ import annotations

from typing import Any

from campaigns.api import schemas
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature
from campaigns.statements.markdown import render_markdown
from campaigns.statements.models import Revision, Statement
from campaigns.submissions.lateness import standing
from campaigns.submissions.models import Response, Submission, Target
from campaigns.submissions.workdays import today_in_london
from campaigns.urls import external_url


def url(endpoint: str, **values: Any) -> str:
    """An absolute URL at the site's public address (CAMPAIGNS_BASE_URL)."""
    return external_url(endpoint, **values)


def organisation_summary(organisation: Organisation) -> schemas.OrganisationSummary:
    """An organisation as it is named in other resources."""
    return schemas.OrganisationSummary(**_organisation_fields(organisation))


def _organisation_fields(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "subtype": organisation.subtype,
        "region": organisation.region,
        "identifier": organisation.identifier,
        "verified": organisation.is_verified,
        "links": schemas.PageLinks(
            self=url("api.organisation", slug=organisation.slug),
            html=url("organisations.show", slug=organisation.slug),
        ),
    }


def organisation(found: Organisation) -> schemas.Organisation:
    """An organisation's public profile: what its page shows, less its contact email."""
    return schemas.Organisation(
        **_organisation_fields(found),
        description=found.description,
        website=found.website,
        charity_number=found.charity_number,
        company_number=found.company_number,
        gss_code=found.gss_code,
        verified_at=found.verified_at,
        register_name=found.register_name,
        register_status=found.register_status,
        register_flagged=found.register_flagged,
    )


def revision_summary(statement: Statement, revision: Revision) -> schemas.RevisionSummary:
    return schemas.RevisionSummary(
        number=revision.number, title=revision.title, links=_revision_links(statement, revision)
    )


def _revision_links(statement: Statement, revision: Revision) -> schemas.RevisionLinks:
    return schemas.RevisionLinks(
        self=url("api.revision", slug=statement.slug, number=revision.number),
        html=url("statements.public_revision", slug=statement.slug, number=revision.number),
        statement=url("api.statement", slug=statement.slug),
    )


def revision(statement: Statement, found: Revision) -> schemas.Revision:
    """An agreed text in full (only agreed texts of published statements are ever given)."""
    return schemas.Revision(
        number=found.number,
        title=found.title,
        links=_revision_links(statement, found),
        summary=found.summary,
        body=found.body,
        body_html=str(render_markdown(found.body)),
        asks=list(found.asks),
        topics=found.topic_values,
        created_at=found.created_at,
        agreed=True,
        published=found.id == statement.agreed_revision_id,
    )


def _statement_fields(statement: Statement) -> dict[str, Any]:
    text = statement.published_revision
    slug = statement.slug
    return {
        "id": statement.id,
        "slug": slug,
        "title": text.title,
        "summary": text.summary,
        "stage": statement.stage.value,
        "topics": statement.topic_values,
        "lead_organisation": organisation_summary(statement.lead_organisation),
        "agreed_at": statement.agreed_at,
        "opened_at": statement.opened_at,
        "closed_at": statement.closed_at,
        "links": schemas.StatementLinks(
            self=url("api.statement", slug=slug),
            html=url("statements.public", slug=slug),
            signatories=url("api.signatories", slug=slug),
            counts=url("api.counts", slug=slug),
            submissions=url("api.submissions", slug=slug),
            text=url("api.revision", slug=slug, number=text.number),
        ),
    }


def statement_summary(statement: Statement) -> schemas.StatementSummary:
    return schemas.StatementSummary(**_statement_fields(statement))


def statement(found: Statement, authors: list[Organisation], agreed_revisions: list[Revision]) -> schemas.Statement:
    """A published statement with its agreed text, its authors and every text they agreed."""
    return schemas.Statement(
        **_statement_fields(found),
        text=revision(found, found.published_revision),
        authors=[organisation_summary(author) for author in authors],
        agreed_revisions=[revision_summary(found, agreed) for agreed in agreed_revisions],
    )


def statement_reference(statement: Statement, title: str) -> schemas.StatementReference:
    return schemas.StatementReference(
        id=statement.id,
        slug=statement.slug,
        title=title,
        links=schemas.PageLinks(
            self=url("api.statement", slug=statement.slug), html=url("statements.public", slug=statement.slug)
        ),
    )


def signatory(signature: Signature) -> schemas.Signatory:
    """One organisation on a statement's public list, as the list shows it."""
    assert signature.confirmed_at is not None  # the public list holds confirmed signatures only
    return schemas.Signatory(
        id=signature.id,
        organisation=organisation_summary(signature.organisation),
        signed_at=signature.confirmed_at,
        signer_name=signature.signer_name,
        signer_role=signature.signer_role,
        comment=signature.comment,
        revision_number=signature.revision.number,
        earlier_version=signature.signed_an_earlier_version,
    )


def reply(response: Response) -> schemas.Reply:
    """A reply: its content only when the authors made it public, as on the pages."""
    public = response.is_public
    return schemas.Reply(
        id=response.id,
        kind=response.kind,
        received_on=response.received_on,
        public=public,
        from_whom=response.from_whom if public else None,
        stance=response.stance if public else None,
        summary=response.summary if public else None,
        full_text=(response.full_text or None) if public else None,
    )


def target_summary(target: Target) -> schemas.TargetSummary:
    return schemas.TargetSummary(
        id=target.id,
        slug=target.slug,
        name=target.name,
        short_name=target.short_name,
        kind=target.kind,
        website=target.website or None,
        retired=target.is_retired,
        links=schemas.PageLinks(
            self=url("api.target", slug=target.slug), html=url("submissions.target", slug=target.slug)
        ),
    )


def submission_fields(submission: Submission) -> dict[str, Any]:
    """The fields every kind of submission resource shares."""
    return {
        "id": submission.id,
        "sent_on": submission.sent_on,
        "channel": submission.channel,
        "standing": standing(submission, today_in_london()),
        "revision_number": submission.revision.number,
        "replies": [reply(response) for response in submission.responses],
    }


def sent_to(submission: Submission) -> schemas.SentTo:
    """Where a statement was sent, and the replies."""
    return schemas.SentTo(**submission_fields(submission), target=target_summary(submission.target))


def sent_statement(submission: Submission) -> schemas.SentStatement:
    """A statement sent to a target, and the replies."""
    return schemas.SentStatement(
        **submission_fields(submission),
        statement=statement_reference(submission.statement, submission.revision.title),
    )
