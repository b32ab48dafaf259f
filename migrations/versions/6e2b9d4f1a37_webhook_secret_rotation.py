"""Webhook secret rotation: an endpoint keeps the secret it had before its last rotation, and when that secret's
grace period ends (deliveries are signed with both until then).

Revision ID: 6e2b9d4f1a37
Revises: 4c1fa026af8e
Create Date: 2026-12-07 17:45:00.000000
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "6e2b9d4f1a37"
down_revision = "4c1fa026af8e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_secret", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_webhook_endpoints_previous_secret_has_an_end"),
            "(previous_secret IS NULL) = (previous_secret_expires_at IS NULL)",
        )


def downgrade():
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_webhook_endpoints_previous_secret_has_an_end"), type_="check")
        batch_op.drop_column("previous_secret_expires_at")
        batch_op.drop_column("previous_secret")
