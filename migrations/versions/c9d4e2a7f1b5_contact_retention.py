"""Retention: how long after closing signers' contact details are kept, and when they were erased.

Revision ID: c9d4e2a7f1b5
Revises: a7d2e9c41b58
Create Date: 2026-12-07 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c9d4e2a7f1b5"
down_revision = "a7d2e9c41b58"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("signature_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_retention_months", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_signature_settings_contact_retention_months_positive"), "contact_retention_months >= 1"
        )


def downgrade():
    with op.batch_alter_table("signature_settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_signature_settings_contact_retention_months_positive"), type_="check")
        batch_op.drop_column("contact_retention_months")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("contact_erased_at")
