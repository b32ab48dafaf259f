"""Consultations: a government consultation's details, closing time and ways to respond, its numbered questions,
and the statements written as responses to it.

Revision ID: ba23f6263188
Revises: e5a9c3f1b726
Create Date: 2026-12-07 14:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "ba23f6263188"
down_revision = "e5a9c3f1b726"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("department", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=300), server_default="", nullable=False),
        sa.Column("summary", sa.Text(), server_default="", nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_email", sa.String(length=320), server_default="", nullable=False),
        sa.Column("response_url", sa.String(length=300), server_default="", nullable=False),
        sa.Column("postal_address", sa.Text(), server_default="", nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at > opens_at", name=op.f("ck_consultations_closes_after_opening")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_consultations_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_consultations_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sa.UniqueConstraint("slug", name=op.f("uq_consultations_slug")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index("ix_consultations_closes_at", ["closes_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_consultations_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "consultation_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("section", sa.String(length=300), server_default="", nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_questions_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_questions")),
        sa.UniqueConstraint("consultation_id", "number", name=op.f("uq_consultation_questions_consultation_id_number")),
        sa.UniqueConstraint(
            "consultation_id", "position", name=op.f("uq_consultation_questions_consultation_id_position")
        ),
    )
    op.create_table(
        "consultation_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_responses_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name=op.f("fk_consultation_responses_statement_id_statements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_responses")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_consultation_responses_statement_id")),
    )
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_responses_consultation_id"), ["consultation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_responses_consultation_id"))

    op.drop_table("consultation_responses")
    op.drop_table("consultation_questions")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_organisation_id"))
        batch_op.drop_index("ix_consultations_closes_at")

    op.drop_table("consultations")
