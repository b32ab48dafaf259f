"""A demo API token, so the README's walk-through can show a program reading Northshire County Council's private
data. Its secret is written here and in the README, so it is for demonstrations only: a real token is random and
shown once (campaigns.api.services.create_token)."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.api.models import ApiToken
from campaigns.api.services import token_hash
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role

ORGANISATION = "northshire-county-council"
#: Not secret: anyone who reads this file or the README knows it. A demo database only.
DEMO_SECRET = "cg_demo-northshire-county-council-not-secret"


def load_demo_token() -> int:
    """Add the demo token if it is missing; returns how many were added (0 or 1)."""
    if db.session.scalar(sa.select(ApiToken.id).where(ApiToken.token_hash == token_hash(DEMO_SECRET))) is not None:
        return 0
    organisation = db.session.scalars(sa.select(Organisation).where(Organisation.slug == ORGANISATION)).one()
    # Made by one of its admins: a token works only while whoever made it is one.
    admin = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == Role.ADMIN)
        .order_by(Membership.id)
    ).first()
    db.session.add(
        ApiToken(
            organisation_id=organisation.id,
            name="Demo: CRM sync",
            prefix=DEMO_SECRET[:10],
            token_hash=token_hash(DEMO_SECRET),
            may_read_contacts=True,
            may_read_submissions=True,
            created_by_id=admin.id if admin else None,
        )
    )
    db.session.flush()
    return 1
