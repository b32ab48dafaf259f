"""Signature lists read by key from indexes in their own order, and the organisation's region on each signature.

Revision ID: e5a9c3f1b726
Revises: d8b3c5e7f042
Create Date: 2026-12-07 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a9c3f1b726"
down_revision = "d8b3c5e7f042"
branch_labels = None
depends_on = None

NEW_INDEXES = {
    "ix_signatures_public_list": ["statement_id", "status", "confirmed_at", "id"],
    "ix_signatures_public_list_kind": ["statement_id", "status", "counted_kind", "confirmed_at", "id"],
    "ix_signatures_public_list_region": ["statement_id", "status", "organisation_region", "confirmed_at", "id"],
    "ix_signatures_owner_list": ["statement_id", "created_at", "id"],
    "ix_signatures_owner_list_status": ["statement_id", "status", "created_at", "id"],
}


def upgrade():
    op.add_column("signatures", sa.Column("organisation_region", sa.String(length=30), nullable=True))
    op.execute(
        "UPDATE signatures SET organisation_region = "
        "(SELECT organisations.region FROM organisations WHERE organisations.id = signatures.organisation_id)"
    )
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "signatures", columns)
    # Both are the leading columns of a new index.
    op.drop_index("ix_signatures_statement_id_status", table_name="signatures")
    op.drop_index("ix_signatures_statement_id_created_at", table_name="signatures")


def downgrade():
    op.create_index("ix_signatures_statement_id_created_at", "signatures", ["statement_id", "created_at"])
    op.create_index("ix_signatures_statement_id_status", "signatures", ["statement_id", "status"])
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="signatures")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("organisation_region")
