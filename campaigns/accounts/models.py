"""People who use Common Ground."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.database import utcnow
from campaigns.extensions import Model

if TYPE_CHECKING:
    from campaigns.organisations.models import Membership


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalised: surrounding spaces removed and lower case, see accounts.emails.normalise_email.
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    email_verified_at: Mapped[datetime | None]
    is_platform_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Identifies the user in the session cookie; a new key signs the account out everywhere.
    session_key: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_key)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]
    #: When the person deleted the account: name and email were erased then (campaigns/privacy/erasure.py).
    deleted_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="raise", foreign_keys="Membership.user_id"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    def get_id(self) -> str:
        return self.session_key

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def rotate_session_key(self) -> None:
        self.session_key = new_session_key()
