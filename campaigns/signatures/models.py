"""Organisations signing on to a statement, the counts kept as they sign, and the owners' settings."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.statements.models import Revision, Statement


class SignatureStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the emailed link to be followed
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"  # by the organisation
    HIDDEN = "hidden"  # by the statement's owners, with a reason
    EXPIRED = "expired"  # never confirmed


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class Signature(Model):
    """One organisation's signature on one statement: there is never a second (the constraint below).

    An organisation that withdraws and signs again reuses its row; the audit log keeps the history.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        sa.UniqueConstraint("statement_id", "organisation_id"),
        # Each list reads one page by key from an index in its own order (see public_list and owner_list), so a
        # page costs the same at any size: the public list, newest confirmed first, whole or by kind or region...
        sa.Index("ix_signatures_public_list", "statement_id", "status", "confirmed_at", "id"),
        sa.Index("ix_signatures_public_list_kind", "statement_id", "status", "counted_kind", "confirmed_at", "id"),
        sa.Index(
            "ix_signatures_public_list_region", "statement_id", "status", "organisation_region", "confirmed_at", "id"
        ),
        # ...and the owners' list, newest signed first, whole or by status (and the owners' CSV, oldest first).
        sa.Index("ix_signatures_owner_list", "statement_id", "created_at", "id"),
        sa.Index("ix_signatures_owner_list_status", "statement_id", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: The agreed revision the organisation signed. A newer agreed revision asks it to confirm again.
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    status: Mapped[SignatureStatus] = mapped_column(
        string_enum(SignatureStatus, "signature_status"), default=SignatureStatus.PENDING
    )
    #: Where it is in the statement's counts now (None: not counted), changed with the counts in one
    #: transaction, so the counts stay exact even when the organisation's kind or verification changes.
    counted_kind: Mapped[OrganisationKind | None] = mapped_column(
        string_enum(OrganisationKind, "signature_counted_kind")
    )
    counted_verified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The organisation's region, kept with `counted_kind` (set when it starts counting, moved when the organisation
    #: moves): the public list filters by region from its own index, without reading every organisation.
    organisation_region: Mapped[str | None] = mapped_column(sa.String(30))
    signer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(sa.String(200))
    #: As it appears publicly, e.g. "Leader of the Council".
    signer_role: Mapped[str] = mapped_column(sa.String(200))
    signer_email: Mapped[str] = mapped_column(sa.String(320))
    comment: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    list_publicly: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    wants_updates: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The exact consent wording shown when they signed, and when.
    consent_text: Mapped[str] = mapped_column(sa.Text)
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The version of that wording (campaigns.signatures.contacts.CONSENT_VERSION); "1" before versions were kept.
    consent_version: Mapped[str] = mapped_column(sa.String(20), default="1", server_default="1")
    #: When the signer's name, role, email address, comment and reason were erased under the retention rules
    #: (campaigns.privacy.retention); None while they are kept. The organisation's signature stays.
    contact_erased_at: Mapped[datetime | None]
    #: The organisation was added on the spot by someone signing for it.
    organisation_added_here: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Signed through the private link before the launch date.
    before_launch: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Changes whenever a link is used, so every emailed link works once.
    nonce: Mapped[str] = mapped_column(sa.String(32), default=new_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: A newer agreed revision the organisation has been asked to confirm, and until when it counts without.
    reconfirm_revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id"))
    reconfirm_asked_at: Mapped[datetime | None]
    reconfirm_by: Mapped[datetime | None]
    lapsed_at: Mapped[datetime | None]

    statement: Mapped[Statement] = relationship()
    organisation: Mapped[Organisation] = relationship()
    revision: Mapped[Revision] = relationship(foreign_keys=[revision_id])
    reconfirm_revision: Mapped[Revision | None] = relationship(foreign_keys=[reconfirm_revision_id])
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])

    def __repr__(self) -> str:
        return f"<Signature {self.id} {self.status} of {self.organisation_id} on {self.statement_id}>"

    @property
    def counted(self) -> bool:
        return self.counted_kind is not None

    @property
    def signed_an_earlier_version(self) -> bool:
        return self.reconfirm_revision_id is not None


class SignatureContact(Model):
    """One author organisation the signer agreed may contact them, chosen one by one when signing (and changed at
    any time since): only that organisation's people see the signer's email address in the owners' list and CSV."""

    __tablename__ = "signature_contacts"
    __table_args__ = (
        sa.PrimaryKeyConstraint("signature_id", "organisation_id"),
        sa.CheckConstraint("consent_version <> ''", name="consent_version_given"),
    )

    signature_id: Mapped[int] = mapped_column(sa.ForeignKey("signatures.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: When this organisation was chosen, and the version of the wording the signer saw.
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_version: Mapped[str] = mapped_column(sa.String(20))


class SignatureCount(Model):
    """The number of counted signatures of one kind of organisation, verified or not: kept up to date as
    signatures change, so no page has to count the signatures table."""

    __tablename__ = "signature_counts"

    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        string_enum(OrganisationKind, "signature_count_kind"), primary_key=True
    )
    verified: Mapped[bool] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0, server_default="0")


class SignatureDay(Model):
    """Counted signatures by the day they were confirmed: the chart of signatures over time."""

    __tablename__ = "signature_days"

    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0, server_default="0")


def new_private_key() -> str:
    return secrets.token_urlsafe(18)


class SignatureSettings(Model):
    """How a statement collects signatures, set by its owners."""

    __tablename__ = "signature_settings"

    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"), primary_key=True)
    closes_at: Mapped[datetime | None]
    target: Mapped[int | None]
    verified_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Before this, signatures come only through the private link and are not shown publicly.
    launch_at: Mapped[datetime | None]
    private_key: Mapped[str] = mapped_column(sa.String(40), default=new_private_key)
    #: Days a signature of an earlier version keeps counting after a newer one is agreed; None: always.
    earlier_version_days: Mapped[int | None]
    #: Months after closing that signers' contact details are kept; None: the platform's maximum
    #: (CAMPAIGNS_CONTACT_RETENTION_MONTHS), which also caps any number set here.
    contact_retention_months: Mapped[int | None] = mapped_column(
        sa.CheckConstraint("contact_retention_months >= 1", name="contact_retention_months_positive")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Bumped whenever the owners' settings form is saved; a form sent from an older version is a conflict,
    #: never an overwrite. (A new private link leaves it alone: it is not an edit of the form.)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class SignaturePeriod(Model):
    """A stretch of time during which a signature counted: from being confirmed (or counting again) until it was
    withdrawn, hidden or lapsed. A signature that withdraws and signs again has two. Kept so that "who had
    signed on 2 April" has a true answer long after the signature itself has changed."""

    __tablename__ = "signature_periods"
    __table_args__ = (sa.Index("ix_signature_periods_statement_id_counted_from", "statement_id", "counted_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(sa.ForeignKey("signatures.id"), index=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id"))
    counted_from: Mapped[datetime]
    #: None while it still counts.
    counted_until: Mapped[datetime | None]
