"""A copy of everything held about one person, built by the worker and downloadable for a limited time."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaigns.extensions import Model
from campaigns.outbox.models import Leased, OutboxStatus


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class DataExport(Leased, Model):
    """A request for a person's data: by a signed-in account, or by an address (a visitor, a recipient).

    A queue the mail worker delivers with leases, as it does email (campaigns.outbox.leases): queued, then `sending`
    while a worker builds it, then `sent` once the file is ready and the link emailed (`sent_at`), or `failed`.
    """

    __tablename__ = "privacy_exports"
    STATUS_TYPE = "privacy_export_status"
    __table_args__ = (sa.Index("ix_privacy_exports_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The account that asked; None when asked for by address.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The address asked about (lower case); emptied when the download expires.
    email: Mapped[str] = mapped_column(sa.String(320), default="", server_default="")
    expires_at: Mapped[datetime | None]
    #: When its time ran out (or its person deleted their account): the file is deleted, the address forgotten.
    expired_at: Mapped[datetime | None]
    #: The zip file's name in the instance folder's exports/ (random), while it exists.
    stored_name: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    size: Mapped[int | None]
    #: Changes when the emailed link is used, so that it works once.
    nonce: Mapped[str] = mapped_column(sa.String(32), default=new_nonce)
    downloaded_at: Mapped[datetime | None]

    @property
    def ready(self) -> bool:
        return self.status == OutboxStatus.SENT and self.expired_at is None

    @property
    def waiting(self) -> bool:
        return self.status in (OutboxStatus.QUEUED, OutboxStatus.SENDING)
