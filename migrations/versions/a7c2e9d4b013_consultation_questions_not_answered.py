"""A consultation response remembers the questions its lead has said the partners will not answer.

Revision ID: a7c2e9d4b013
Revises: b3e8d1f6a2c9
Create Date: 2026-12-07 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c2e9d4b013"
down_revision = "b3e8d1f6a2c9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_answering", sa.JSON(), server_default="[]", nullable=False))


def downgrade():
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.drop_column("not_answering")
