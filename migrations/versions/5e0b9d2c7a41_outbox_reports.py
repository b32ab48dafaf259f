"""Bounces and complaints read from the bounce mailbox, recorded against the message they are about; a
complaint is a reason to suppress an address.

Revision ID: 5e0b9d2c7a41
Revises: c2a7e5d1b904
Create Date: 2026-12-07 05:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e0b9d2c7a41"
down_revision = "c2a7e5d1b904"
branch_labels = None
depends_on = None

REPORT_KINDS = ("hard_bounce", "soft_bounce", "complaint")


def upgrade():
    op.create_table(
        "outbox_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*REPORT_KINDS, name="report_kind", native_enum=False, create_constraint=True, length=30),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("diagnostic", sa.Text(), nullable=True),
        sa.Column("reported_by", sa.String(length=255), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_outbox_reports_message_id_outbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_reports")),
        sa.UniqueConstraint("source", "message_id", name=op.f("uq_outbox_reports_source_message_id")),
    )
    with op.batch_alter_table("outbox_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_reports_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_reports_recipient"), ["recipient"], unique=False)
    with op.batch_alter_table("mailing_suppressions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_mailing_suppressions_suppression_reason"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_mailing_suppressions_suppression_reason"),
            "reason IN ('unsubscribed', 'bounced', 'complained')",
        )


def downgrade():
    op.execute("UPDATE mailing_suppressions SET reason = 'bounced' WHERE reason = 'complained'")
    with op.batch_alter_table("mailing_suppressions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_mailing_suppressions_suppression_reason"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_mailing_suppressions_suppression_reason"), "reason IN ('unsubscribed', 'bounced')"
        )
    with op.batch_alter_table("outbox_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_reports_recipient"))
        batch_op.drop_index(batch_op.f("ix_outbox_reports_message_id"))
    op.drop_table("outbox_reports")
