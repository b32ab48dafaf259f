"""Organisations' API tokens: named, scoped, shown once and stored only as a hash."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation


class Scope(enum.StrEnum):
    """What a token may read for its organisation."""

    CONTACTS = "contacts"
    SUBMISSIONS = "submissions"

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self]


SCOPE_LABELS = {
    Scope.CONTACTS: "Signatories of your statements, with the email address of each who agreed you may contact them",
    Scope.SUBMISSIONS: "Your statements' submissions and every reply, private ones included",
}


class ApiToken(Model):
    """A secret a program sends as `Authorization: Bearer …`. Only its SHA-256 is kept: a token is 256 random bits,
    so a fast hash is enough (nothing to guess), and a stolen table gives no usable token."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.CheckConstraint("may_read_contacts OR may_read_submissions", name="api_token_has_a_scope"),
        sa.CheckConstraint("name <> ''", name="api_token_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: The token's first characters, to tell tokens apart in the list (too few to guess the rest from).
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    may_read_contacts: Mapped[bool] = mapped_column(default=False)
    may_read_submissions: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def scopes(self) -> list[Scope]:
        return [scope for scope, allowed in self._grants() if allowed]

    def _grants(self) -> list[tuple[Scope, bool]]:
        return [(Scope.CONTACTS, self.may_read_contacts), (Scope.SUBMISSIONS, self.may_read_submissions)]

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
