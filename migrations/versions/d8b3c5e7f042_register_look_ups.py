"""Register look-ups: what the Charity Commission or Companies House last said about an organisation's number.

Revision ID: d8b3c5e7f042
Revises: c6f4a2b8e913
Create Date: 2026-12-07 06:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d8b3c5e7f042"
down_revision = "c6f4a2b8e913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("register_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("register_status", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("register_flagged", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("register_checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("register_checked_at")
        batch_op.drop_column("register_flagged")
        batch_op.drop_column("register_status")
        batch_op.drop_column("register_name")
