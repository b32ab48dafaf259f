"""Signature owner tools: a version on the settings, so two owners saving at once never overwrite
each other, and an index for the owners' newest-first list.

Revision ID: 7b21e4c9d0a3
Revises: 3cd1fd49aee5
Create Date: 2026-11-25 04:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7b21e4c9d0a3"
down_revision = "3cd1fd49aee5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signature_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.create_index("ix_signatures_statement_id_created_at", ["statement_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_signatures_statement_id_created_at")
    with op.batch_alter_table("signature_settings", schema=None) as batch_op:
        batch_op.drop_column("version")
