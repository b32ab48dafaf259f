"""What an organisation's API token reads: its statements' signatories with the contacts they agreed to give it,
and its submissions with every reply."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from campaigns.api.schemas import (
    OrganisationSummary,
    PageLinks,
    Resource,
    StatementReference,
    Submission,
    TargetSummary,
)
from campaigns.submissions.models import ResponseKind, Stance


class ContactLinks(PageLinks):
    next: str | None = Field(description="The next page (signed earlier); absent on the last.")


class Contact(Resource):
    id: int = Field(description="The signature's id.")
    organisation: OrganisationSummary
    status: str = Field(description="As in the owners' list: pending, confirmed, earlier, lapsed, withdrawn, hidden…")
    signer_name: str
    signer_role: str
    email: str | None = Field(description="Only if the signer agreed that your organisation may contact them.")
    may_contact: bool
    wants_updates: bool
    signed_at: datetime
    confirmed_at: datetime | None


class ContactPage(Resource):
    """Every signature of one of your organisation's statements, newest first, a page at a time."""

    statement: StatementReference
    items: list[Contact]
    links: ContactLinks


class PrivateReply(Resource):
    id: int
    kind: ResponseKind
    received_on: date
    public: bool
    from_whom: str
    stance: Stance
    summary: str
    full_text: str
    follow_up: str


class OwnSubmission(Submission):
    statement: StatementReference
    target: TargetSummary
    reference: str
    expected_by: date | None
    private_replies: list[PrivateReply] = Field(description="Every reply in full, private ones included.")


class OwnSubmissionList(Resource):
    organisation: OrganisationSummary
    items: list[OwnSubmission]
    links: PageLinks


class ContactQuery(BaseModel):
    cursor: str | None = Field(None, pattern=r"^\d{1,18}-\d{1,10}$", description="From `links.next`.")
