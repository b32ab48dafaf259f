"""Reading accounts: by address and by session."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from campaigns.accounts.addresses import normalise_email
from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Membership


def find_user_by_email(email: str) -> User | None:
    """The account with this address (in any case), or None."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def user_by_session_key(session_key: str) -> User | None:
    """The account signed in with this session key, with its memberships and their organisations, or None."""
    return db.session.scalar(
        sa.select(User)
        .where(User.session_key == session_key)
        .options(selectinload(User.memberships).joinedload(Membership.organisation))
    )
