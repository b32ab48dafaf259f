"""What the API sends: each resource as a pydantic model, from which the OpenAPI 3.1 description is generated.

Every time is ISO 8601 in UTC (a `Z` suffix), every day a plain ISO 8601 date; ids are the database's and never
reused; `slug`s are the same as in the site's addresses; `links` are absolute URLs to related resources (`self`
the resource in the API, `html` its page on the site).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from campaigns.api.regions import Region
from campaigns.http import MAX_ID
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures.public_list import SEARCH_MAX
from campaigns.statements.models import Topic
from campaigns.submissions.lateness import Standing
from campaigns.submissions.models import Channel, ResponseKind, Stance, TargetKind

#: Text with no NUL or other control characters (the site refuses them in any request).
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

#: Organisations a page of the list, unless asked for fewer or more (at most 100).
ORGANISATIONS_PAGE = 50

#: The stages of a published statement.
PublishedStage = Literal["open", "closed"]


class Resource(BaseModel):
    model_config = ConfigDict(use_enum_values=True)


class Links(Resource):
    self: str = Field(description="This resource in the API.")


class PageLinks(Links):
    html: str = Field(description="The same on the site, for people.")


class InvalidParameter(Resource):
    name: str
    reason: str


class Problem(Resource):
    """An error, as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field("about:blank", description="A URI for the kind of problem; `about:blank`: see `status`.")
    title: str = Field(description="The HTTP status's phrase, e.g. `Not Found`.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong, for a person to read.")
    instance: str | None = Field(None, description="The path that was asked for.")
    errors: list[InvalidParameter] | None = Field(None, description="For 400: each parameter that was not valid.")


# Organisations


class OrganisationSummary(Resource):
    id: int
    slug: str
    name: str
    kind: OrganisationKind
    subtype: str | None = Field(description="For councils, the type of council (e.g. `district`).")
    region: str = Field(description="One of the regions' keys, e.g. `north_east`.")
    identifier: str | None = Field(
        description="The org-id.guide identifier (`GB-CHC-…`, `GB-SC-…`, `GB-NIC-…`, `GB-COH-…`) or a council's GSS "
        "code, where the organisation has one."
    )
    verified: bool = Field(description="Common Ground has checked that the organisation is who it says it is.")
    links: PageLinks


class Organisation(OrganisationSummary):
    description: str
    website: str | None
    charity_number: str | None
    company_number: str | None
    gss_code: str | None
    verified_at: datetime | None
    register_name: str | None = Field(description="The name on the charity or company register, when checked.")
    register_status: str | None = Field(description="The register's status, when checked (e.g. `Registered`).")
    register_flagged: bool = Field(description="The register says the charity was removed or the company dissolved.")


class OrganisationListLinks(PageLinks):
    next: str | None = Field(None, description="The next page, with the same filters; absent on the last page.")


class OrganisationFilters(Resource):
    kind: OrganisationKind | None
    region: str | None


class OrganisationList(Resource):
    """Organisations as the site's directory lists them, by id (the order in which they joined): an organisation
    merged into another is left out (its profile answers 301, to the one kept)."""

    filters: OrganisationFilters
    items: list[OrganisationSummary]
    links: OrganisationListLinks


# Statements


class RevisionLinks(PageLinks):
    statement: str


class RevisionSummary(Resource):
    number: int
    title: str
    links: RevisionLinks = Field(description="`html` is the revision's permanent link.")


class Revision(RevisionSummary):
    summary: str
    body: str = Field(description="The text as written, in Markdown.")
    body_html: str = Field(description="The text as the site shows it: sanitised HTML.")
    asks: list[str]
    topics: list[Topic]
    created_at: datetime
    agreed: bool = Field(description="Every author organisation agreed this text (only agreed texts are public).")
    published: bool = Field(description="This is the text now published (later revisions may have been agreed).")


class StatementLinks(PageLinks):
    signatories: str
    counts: str
    submissions: str
    text: str = Field(description="The agreed text now published.")


class StatementSummary(Resource):
    id: int
    slug: str
    title: str
    summary: str
    stage: PublishedStage = Field(description="`open` for signatures or `closed`.")
    topics: list[Topic]
    lead_organisation: OrganisationSummary
    agreed_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    links: StatementLinks


class Statement(StatementSummary):
    text: Revision = Field(description="The agreed text now published.")
    authors: list[OrganisationSummary] = Field(description="The organisations that agreed this text, lead first.")
    agreed_revisions: list[RevisionSummary] = Field(description="Every text the authors agreed, newest first.")


class StatementList(Resource):
    items: list[StatementSummary]
    links: PageLinks


# Signatures


class Signatory(Resource):
    id: int = Field(description="The signature's id.")
    organisation: OrganisationSummary
    signed_at: datetime
    signer_name: str
    signer_role: str
    comment: str
    revision_number: int = Field(description="The revision the organisation signed.")
    earlier_version: bool = Field(description="It signed an earlier version than the text now published.")


class SignatoryLinks(PageLinks):
    statement: str
    newer: str | None = Field(None, description="The page signed more recently; absent on the first page.")
    older: str | None = Field(None, description="The page signed earlier; absent on the last page.")


class SignatoryFilters(Resource):
    kind: OrganisationKind | None
    region: str | None
    q: str


class SignatoryPage(Resource):
    """Organisations on the statement's public list, newest first. Before the statement's launch nothing about its
    signatures is public: `launched` is false and `items` empty."""

    launched: bool
    filters: SignatoryFilters
    items: list[Signatory]
    links: SignatoryLinks


class CountsLinks(PageLinks):
    statement: str


class Counts(Resource):
    """How many organisations have signed, by kind (every counted signature, named or not) and by region (only the
    organisations on the public list, which anyone can count from it)."""

    launched: bool
    as_of: datetime
    total: int
    by_kind: dict[str, int] = Field(description="Keyed by organisation kind: `council`, `vcs`, `public_body`.")
    by_region: dict[str, int] = Field(description="Named signatories by region key; regions with none are left out.")
    target: int | None
    verified_only: bool = Field(description="Only organisations verified by Common Ground are counted and listed.")
    links: CountsLinks


# Submissions and replies


class Reply(Resource):
    """A reply received. Its content is public only if the statement's authors made it so: otherwise only its kind
    and date are (`public` false, the other fields null)."""

    id: int
    kind: ResponseKind
    received_on: date
    public: bool
    from_whom: str | None
    stance: Stance | None
    summary: str | None
    full_text: str | None


class TargetSummary(Resource):
    id: int
    slug: str
    name: str
    short_name: str
    kind: TargetKind
    website: str | None
    retired: bool
    links: PageLinks


class StatementReference(Resource):
    id: int
    slug: str
    title: str
    links: PageLinks


class Submission(Resource):
    id: int
    sent_on: date | None
    channel: Channel
    standing: Standing
    revision_number: int = Field(description="The agreed revision that was sent.")
    replies: list[Reply]


class SentTo(Submission):
    target: TargetSummary


class SentStatement(Submission):
    statement: StatementReference


class SubmissionList(Resource):
    items: list[SentTo]
    links: CountsLinks


class TargetRecord(Resource):
    sent: int = Field(description="Public statements sent to the target.")
    responded: int
    response_rate: int | None = Field(description="Percentage answered; null until something is sent.")
    median_working_days: float | None = Field(description="Median working days to a reply; null with no replies.")


class Target(TargetSummary):
    record: TargetRecord
    submissions: list[SentStatement]


class TargetList(Resource):
    items: list[Target]
    links: PageLinks


# The index


class IndexLinks(Links):
    statements: str
    targets: str
    organisations: str
    openapi: str
    documentation: str


class Index(Resource):
    name: str
    version: str
    links: IndexLinks


# Query strings


class StatementQuery(BaseModel):
    model_config = ConfigDict(use_enum_values=True)

    stage: PublishedStage | None = Field(None, description="Only `open` or only `closed` statements.")
    topic: Topic | None = None


class SignatoryQuery(BaseModel):
    model_config = ConfigDict(use_enum_values=True)

    kind: OrganisationKind | None = None
    region: Region | None = None
    q: str | None = Field(
        None, max_length=SEARCH_MAX, pattern=NO_CONTROL_CHARACTERS, description="Part of the organisation's name."
    )
    after: int | None = Field(None, ge=1, le=MAX_ID, description="The page older than this signature (`links.older`).")
    before: int | None = Field(None, ge=1, le=MAX_ID, description="The page newer than this signature (`links.newer`).")
    limit: int = Field(20, ge=1, le=100, description="Signatories a page.")


class OrganisationQuery(BaseModel):
    model_config = ConfigDict(use_enum_values=True)

    kind: OrganisationKind | None = None
    region: Region | None = None
    after: int | None = Field(
        None, ge=1, le=MAX_ID, description="The page after this organisation's id (`links.next`)."
    )
    limit: int = Field(ORGANISATIONS_PAGE, ge=1, le=100, description="Organisations a page.")
