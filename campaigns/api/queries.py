"""Read-only queries for API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.api.models import ApiToken
from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.organisations.models import Organisation


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    """The organisation's tokens, working ones first, newest first, with who made each."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.organisation_id == organisation.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(organisation: Organisation, token_id: int) -> ApiToken:
    """One of the organisation's tokens; any other id is not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.organisation_id != organisation.id:
        raise NotFound("We could not find that API token.")
    return token
