"""Outbox messages say which kind of email they are (the template they were rendered from).

Revision ID: c2a7e5d1b904
Revises: c4e8a1d2f9b7
Create Date: 2026-12-07 04:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c2a7e5d1b904"
down_revision = "c4e8a1d2f9b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("template", sa.String(length=60), nullable=True))
    # Copies of an email update are the one kind known for messages queued before this column.
    op.execute("UPDATE outbox_messages SET template = 'mailing_update' WHERE mailing_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("template")
