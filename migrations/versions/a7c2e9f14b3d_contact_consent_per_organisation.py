"""Who may contact a signatory: one choice per author organisation, with the consent wording's version.

Revision ID: a7c2e9f14b3d
Revises: ba23f6263188
Create Date: 2026-12-07 14:10:00
"""

import sqlalchemy as sa
from alembic import op


revision = "a7c2e9f14b3d"
down_revision = "ba23f6263188"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_version", sa.String(length=20), server_default="1", nullable=False))
    op.create_table(
        "signature_contacts",
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_version", sa.String(length=20), nullable=False),
        sa.CheckConstraint("consent_version <> ''", name=op.f("ck_signature_contacts_consent_version_given")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_signature_contacts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signatures.id"],
            name=op.f("fk_signature_contacts_signature_id_signatures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signature_id", "organisation_id", name=op.f("pk_signature_contacts")),
    )
    op.create_index(
        op.f("ix_signature_contacts_organisation_id"), "signature_contacts", ["organisation_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_signature_contacts_organisation_id"), table_name="signature_contacts")
    op.drop_table("signature_contacts")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("consent_version")
