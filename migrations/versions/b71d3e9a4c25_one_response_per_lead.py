"""Consultation responses: an organisation leads one response to a consultation (the response keeps its statement's
lead, which never changes). A second response an organisation started before this rule is kept, without a lead here.

Revision ID: b71d3e9a4c25
Revises: 6e2b9d4f1a37
Create Date: 2026-12-08 01:20:00.000000
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b71d3e9a4c25"
down_revision = "6e2b9d4f1a37"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_consultation_responses_lead_organisation_id_organisations"),
            "organisations",
            ["lead_organisation_id"],
            ["id"],
        )
    # The first response each organisation leads to each consultation takes its lead; any later one stays empty.
    op.execute(
        """
        UPDATE consultation_responses
        SET lead_organisation_id = (
            SELECT statements.lead_organisation_id FROM statements
            WHERE statements.id = consultation_responses.statement_id
        )
        WHERE id IN (
            SELECT MIN(responses.id) FROM consultation_responses AS responses
            JOIN statements ON statements.id = responses.statement_id
            GROUP BY responses.consultation_id, statements.lead_organisation_id
        )
        """
    )
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_consultation_responses_one_per_lead", ["consultation_id", "lead_organisation_id"]
        )


def downgrade():
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.drop_constraint("uq_consultation_responses_one_per_lead", type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_consultation_responses_lead_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_column("lead_organisation_id")
