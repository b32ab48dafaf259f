"""Who an update goes to: the recipients its audience names now, never anyone suppressed, one copy per address;
and that audience in words, so whoever sends or approves an update knows exactly who will get it."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.mailings.emails import Recipient
from campaigns.mailings.models import Audience, Mailing, Suppression
from campaigns.organisations.models import REGIONS, Membership, Organisation, OrganisationKind
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements import queries as statement_queries
from campaigns.wording import in_a_list

KIND_PLURALS = {
    OrganisationKind.COUNCIL: "Councils",
    OrganisationKind.VCS: "Voluntary and community sector organisations",
    OrganisationKind.PUBLIC_BODY: "Public bodies",
}
#: "in the North West", but "in London"; UK-wide organisations are not in a region.
_REGION_PHRASES = {
    "london": "in London",
    "wales": "in Wales",
    "scotland": "in Scotland",
    "northern_ireland": "in Northern Ireland",
    "yorkshire_and_the_humber": "in Yorkshire and the Humber",
    "uk_wide": "that work UK-wide",
}


def region_phrase(region: str) -> str:
    return _REGION_PHRASES.get(region) or f"in the {REGIONS[region]}"


def describe(mailing: Mailing, authors: list[Organisation] | None = None) -> str:
    """The audience in words: "Councils in the North West who asked for updates". `authors`: the statement's
    author organisations, when the caller has them already."""
    if mailing.audience == Audience.CO_AUTHORS:
        if authors is None:
            authors = statement_queries.author_organisations(mailing.statement)
        return f"The people of the co-author organisations ({in_a_list([o.name for o in authors])})"
    if mailing.audience == Audience.FILTERED and (mailing.audience_kind or mailing.audience_region):
        who = KIND_PLURALS[mailing.audience_kind] if mailing.audience_kind else "Signatories"
        where = f" {region_phrase(mailing.audience_region)}" if mailing.audience_region else ""
        return f"{who}{where} who asked for updates"
    return "Every signatory who asked for updates"


def in_words(mailing: Mailing, count: int) -> str:
    """ "Councils in the North West who asked for updates: 22 people"."""
    return f"{describe(mailing)}: {count:,} {'person' if count == 1 else 'people'}"


def recipients(mailing: Mailing, limit: int | None = None) -> list[Recipient]:
    """Who the update goes to now: one per address, never anyone suppressed for this statement or for all.
    With `limit`, only the first few (a sample for the preview)."""
    statement_id = mailing.statement_id
    if mailing.audience == Audience.CO_AUTHORS:
        author_ids = [o.id for o in statement_queries.author_organisations(mailing.statement)]
        query = (
            sa.select(User.email, User.name, Organisation.name, Organisation.kind, Organisation.region)
            .join(Membership, Membership.user_id == User.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.organisation_id.in_(author_ids), User.email_verified_at.is_not(None))
            .order_by(Organisation.name, User.id)
        )
        email_column = User.email
    else:
        query = (
            sa.select(
                Signature.signer_email, Signature.signer_name, Organisation.name, Organisation.kind, Organisation.region
            )
            .join(Organisation, Organisation.id == Signature.organisation_id)
            .where(
                Signature.statement_id == statement_id,
                Signature.status == SignatureStatus.CONFIRMED,
                Signature.wants_updates.is_(True),
            )
            .order_by(Signature.id)
        )
        if mailing.audience == Audience.FILTERED:
            if mailing.audience_kind is not None:
                query = query.where(Organisation.kind == mailing.audience_kind)
            if mailing.audience_region is not None:
                query = query.where(Organisation.region == mailing.audience_region)
        email_column = Signature.signer_email
    suppressed = sa.exists().where(
        Suppression.email == sa.func.lower(email_column),
        sa.or_(Suppression.statement_id == statement_id, Suppression.statement_id.is_(None)),
    )
    found: dict[str, Recipient] = {}
    for email, name, organisation, kind, region in db.session.execute(query.where(~suppressed).limit(limit)):
        found.setdefault(normalise_email(email), Recipient(email.strip(), name, organisation, kind, region))
    return list(found.values())
