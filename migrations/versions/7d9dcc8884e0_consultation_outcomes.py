"""Consultation outcomes: the government's response to a consultation as a response's owners recorded it (date,
link, summary) and its verdict on each of the response's asks.

Revision ID: 7d9dcc8884e0
Revises: d3b8f1a6c527
Create Date: 2026-12-07 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7d9dcc8884e0"
down_revision = "d3b8f1a6c527"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("link", sa.String(length=300), server_default="", nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_consultation_outcomes_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["consultation_responses.id"],
            name=op.f("fk_consultation_outcomes_response_id_consultation_responses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_outcomes")),
        sa.UniqueConstraint("response_id", name=op.f("uq_consultation_outcomes_response_id")),
    )
    op.create_table(
        "consultation_outcome_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ask", sa.Text(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum(
                "accepted",
                "partly",
                "rejected",
                name="outcome_verdict",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["consultation_outcomes.id"],
            name=op.f("fk_consultation_outcome_asks_outcome_id_consultation_outcomes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_outcome_asks")),
        sa.UniqueConstraint("outcome_id", "position", name=op.f("uq_consultation_outcome_asks_outcome_id_position")),
    )


def downgrade():
    op.drop_table("consultation_outcome_asks")
    op.drop_table("consultation_outcomes")
