"""Deadline reminders: each response's co-authors are reminded once at 10, 5 and 1 working days before its
consultation closes.

Revision ID: d3b8f1a6c527
Revises: a7c2e9d4b013
Create Date: 2026-12-07 14:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d3b8f1a6c527"
down_revision = "a7c2e9d4b013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["consultation_responses.id"],
            name=op.f("fk_consultation_reminders_response_id_consultation_responses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_reminders")),
        sa.UniqueConstraint(
            "response_id",
            "days_before",
            "closes_on",
            name=op.f("uq_consultation_reminders_response_id_days_before_closes_on"),
        ),
    )


def downgrade():
    op.drop_table("consultation_reminders")
