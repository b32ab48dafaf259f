"""An update's approver can send it back to its writers with a reason, kept on the update.

Revision ID: 8d3f6a1e2b57
Revises: 5e0b9d2c7a41
Create Date: 2026-12-07 06:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8d3f6a1e2b57"
down_revision = "5e0b9d2c7a41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("returned_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("return_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_mailings_returned_by_id_users"), "users", ["returned_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_mailings_returned_by_id_users"), type_="foreignkey")
        batch_op.drop_column("return_reason")
        batch_op.drop_column("returned_by_id")
        batch_op.drop_column("returned_at")
