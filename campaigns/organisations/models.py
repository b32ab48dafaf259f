"""Organisations (councils, VCS organisations, other public bodies), their members and invitations."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.accounts.models import User
from campaigns.database import string_enum, utcnow
from campaigns.extensions import Model
from campaigns.web_addresses import WebAddress


class OrganisationKind(enum.StrEnum):
    COUNCIL = "council"
    VCS = "vcs"
    PUBLIC_BODY = "public_body"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    OrganisationKind.COUNCIL: "Council",
    OrganisationKind.VCS: "Voluntary and community sector organisation",
    OrganisationKind.PUBLIC_BODY: "Other public body",
}

COUNCIL_TYPES = {
    "county": "County council",
    "district": "District council",
    "unitary": "Unitary authority",
    "metropolitan_borough": "Metropolitan borough council",
    "london_borough": "London borough council",
    "town_or_parish": "Town or parish council",
}

VCS_TYPES = {
    "charity": "Charity",
    "community_group": "Community group",
    "social_enterprise": "Social enterprise",
    "infrastructure_body": "Infrastructure body",
    "faith_group": "Faith group",
    "other": "Other VCS organisation",
}

SUBTYPES = {OrganisationKind.COUNCIL: COUNCIL_TYPES, OrganisationKind.VCS: VCS_TYPES, OrganisationKind.PUBLIC_BODY: {}}

REGIONS = {
    "north_east": "North East",
    "north_west": "North West",
    "yorkshire_and_the_humber": "Yorkshire and the Humber",
    "east_midlands": "East Midlands",
    "west_midlands": "West Midlands",
    "east_of_england": "East of England",
    "london": "London",
    "south_east": "South East",
    "south_west": "South West",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
    "uk_wide": "UK-wide",
}


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    SIGNATORY = "signatory"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self][0]

    @property
    def description(self) -> str:
        return ROLE_LABELS[self][1]

    @property
    def with_article(self) -> str:
        """ "an admin", "an editor", "a signatory", "a member"."""
        label = self.label.lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


ROLE_LABELS = {
    Role.ADMIN: ("Admin", "Manages the organisation's profile and members, drafts statements and signs."),
    Role.EDITOR: ("Editor", "Drafts and edits statements for the organisation."),
    Role.SIGNATORY: (
        "Signatory",
        "Authorised to sign and approve statements on the organisation's behalf, for example a councillor, "
        "chief executive or trustee.",
    ),
    Role.MEMBER: ("Member", "Reads and comments on the organisation's statements."),
}


def _in(column: str, values: Iterable[object]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Model):
    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint(
            f"(kind = 'council' AND {_in('subtype', COUNCIL_TYPES)})"
            f" OR (kind = 'vcs' AND {_in('subtype', VCS_TYPES)})"
            " OR (kind = 'public_body' AND subtype IS NULL)",
            name="subtype_matches_kind",
        ),
        sa.CheckConstraint(_in("region", REGIONS), name="region_known"),
        sa.CheckConstraint("gss_code IS NULL OR kind = 'council'", name="gss_code_only_for_councils"),
        # One organisation per name: a second of the same name only when someone said it is a different one.
        sa.UniqueConstraint("name_key", "name_twin", name="uq_organisations_name_key"),
        sa.CheckConstraint("name_twin = 0 OR confirmed_distinct_at IS NOT NULL", name="twin_confirmed_distinct"),
        # A registered number always means the same organisation.
        sa.UniqueConstraint("charity_number", name="uq_organisations_charity_number"),
        sa.UniqueConstraint("company_number", name="uq_organisations_company_number"),
        sa.UniqueConstraint("gss_code", name="uq_organisations_gss_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(string_enum(OrganisationKind, "organisation_kind"))
    subtype: Mapped[str | None] = mapped_column(sa.String(30))
    region: Mapped[str] = mapped_column(sa.String(30))
    website: Mapped[str | None] = mapped_column(WebAddress())
    contact_email: Mapped[str | None] = mapped_column(sa.String(320))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    charity_number: Mapped[str | None] = mapped_column(sa.String(12))
    company_number: Mapped[str | None] = mapped_column(sa.String(8))
    gss_code: Mapped[str | None] = mapped_column(sa.String(9))
    #: The name as compared (see names.name_key); None once merged into another organisation.
    name_key: Mapped[str | None] = mapped_column(sa.String(200))
    #: 0, or 1, 2... for another organisation of the same name that someone confirmed is a different one.
    name_twin: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the person adding it said it is not one of the organisations of similar name already here.
    confirmed_distinct_at: Mapped[datetime | None]
    #: What the Charity Commission or Companies House said when last asked (registers.refresh).
    register_name: Mapped[str | None] = mapped_column(sa.String(200))
    register_status: Mapped[str | None] = mapped_column(sa.String(200))
    #: A charity removed from the register, a company dissolved, or a number the register does not know.
    register_flagged: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    register_checked_at: Mapped[datetime | None]
    #: Merged into that organisation by a platform admin: everything it had moved there.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Bumped on every update; an edit started from an older version is a conflict, never an overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation", lazy="raise")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug}>"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def subtype_label(self) -> str | None:
        return SUBTYPES[self.kind].get(self.subtype or "")

    @property
    def region_label(self) -> str:
        return REGIONS.get(self.region, self.region)

    @property
    def identifier(self) -> str | None:
        """Its org-id.guide identifier (GB-CHC-1234567...), or a council's GSS code; None without either."""
        from campaigns.organisations.identifiers import org_id

        return org_id(self.charity_number, self.company_number, self.gss_code)


class OrganisationMerge(Model):
    """A platform admin merged one organisation into another: everything it had moved to the one kept."""

    __tablename__ = "organisation_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    merged_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), unique=True)
    #: The merged organisation's name as it was.
    merged_name: Mapped[str] = mapped_column(sa.String(200))
    merged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What moved: how many members, signatures (and duplicates withdrawn), participations, submissions...
    summary: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)

    kept: Mapped[Organisation] = relationship(foreign_keys=[kept_id])
    merged_by: Mapped[User | None] = relationship(foreign_keys=[merged_by_id])


class OrganisationWord(Model):
    """A word of an organisation's name key: finds organisations by any word of their name through an index."""

    __tablename__ = "organisation_words"

    word: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NameWordVariant(Model):
    """A word of some organisation's name, under each of its one-letter-dropped forms: finds the words one typing
    slip away from a word typed, through an index, without reading every name."""

    __tablename__ = "name_word_variants"

    variant: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    word: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(string_enum(Role, "membership_role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Membership {self.user_id} {self.role} of {self.organisation_id}>"


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"


class Invitation(Model):
    __tablename__ = "invitations"
    __table_args__ = (
        # One open invitation per address per organisation; inviting again renews it.
        sa.Index(
            "uq_invitations_pending_email",
            "organisation_id",
            "email",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(320), index=True)
    role: Mapped[Role] = mapped_column(string_enum(Role, "invitation_role"))
    status: Mapped[InvitationStatus] = mapped_column(
        string_enum(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING
    )
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} to {self.organisation_id} {self.status}>"
