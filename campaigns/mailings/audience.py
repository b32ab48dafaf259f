"""Who an update goes to: the recipients its audience names now, never anyone suppressed, one copy per address."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.mailings.emails import Recipient
from campaigns.mailings.models import Audience, Mailing, Suppression
from campaigns.organisations.models import Membership, Organisation
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements import queries as statement_queries


def recipients(mailing: Mailing, limit: int | None = None) -> list[Recipient]:
    """Who the update goes to now: one per address, never anyone suppressed for this statement or for all.
    With `limit`, only the first few (a sample for the preview)."""
    statement_id = mailing.statement_id
    if mailing.audience == Audience.CO_AUTHORS:
        author_ids = [o.id for o in statement_queries.author_organisations(mailing.statement)]
        query = (
            sa.select(User.email, User.name, Organisation.name)
            .join(Membership, Membership.user_id == User.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.organisation_id.in_(author_ids), User.email_verified_at.is_not(None))
            .order_by(Organisation.name, User.id)
        )
        email_column = User.email
    else:
        query = (
            sa.select(Signature.signer_email, Signature.signer_name, Organisation.name)
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
    for email, name, organisation in db.session.execute(query.where(~suppressed).limit(limit)):
        found.setdefault(normalise_email(email), Recipient(email.strip(), name, organisation))
    return list(found.values())
