"""Signature periods: when each signature counted, so a submission's list is the list as of its sent date.

Existing signatures get one period each, from what their rows still say: confirmed until withdrawn,
hidden or lapsed (or still counting). A signature withdrawn and signed again before this migration
keeps only its latest period.

Revision ID: 5a1c7e2d9b40
Revises: 8d3f6a1e2b57
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5a1c7e2d9b40"
down_revision = "8d3f6a1e2b57"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signature_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("counted_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counted_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["signature_id"], ["signatures.id"], name=op.f("fk_signature_periods_signature_id_signatures")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name=op.f("fk_signature_periods_statement_id_statements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_periods")),
    )
    with op.batch_alter_table("signature_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signature_periods_signature_id"), ["signature_id"], unique=False)
        batch_op.create_index(
            "ix_signature_periods_statement_id_counted_from", ["statement_id", "counted_from"], unique=False
        )
    op.execute(
        """
        INSERT INTO signature_periods (signature_id, statement_id, counted_from, counted_until)
        SELECT id, statement_id, confirmed_at,
               CASE
                 WHEN status = 'withdrawn' THEN withdrawn_at
                 WHEN status = 'hidden' THEN hidden_at
                 WHEN status = 'confirmed' AND counted_kind IS NULL THEN COALESCE(lapsed_at, confirmed_at)
                 ELSE NULL
               END
        FROM signatures
        WHERE confirmed_at IS NOT NULL AND status IN ('confirmed', 'withdrawn', 'hidden')
        """
    )


def downgrade():
    with op.batch_alter_table("signature_periods", schema=None) as batch_op:
        batch_op.drop_index("ix_signature_periods_statement_id_counted_from")
        batch_op.drop_index(batch_op.f("ix_signature_periods_signature_id"))
    op.drop_table("signature_periods")
