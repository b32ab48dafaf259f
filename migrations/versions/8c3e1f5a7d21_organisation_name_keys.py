"""One organisation, one record: a name key unique with its twin number (a second record of the same name only
when confirmed different), unique registered numbers, the word index for finding near-duplicates, and the
link a merged organisation keeps to the one it was merged into.

Existing organisations get their keys and words; any that already share a name become twins of the first
(for a platform admin to merge). Registered numbers used twice stop the upgrade with the list to resolve.

Revision ID: 8c3e1f5a7d21
Revises: 5a1c7e2d9b40
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "8c3e1f5a7d21"
down_revision = "5a1c7e2d9b40"
branch_labels = None
depends_on = None

IDENTIFIERS = ("charity_number", "company_number", "gss_code")


def _refuse_duplicate_identifiers(connection):
    problems = []
    for column in IDENTIFIERS:
        rows = connection.execute(
            sa.text(
                f"SELECT {column}, COUNT(*) FROM organisations WHERE {column} IS NOT NULL "
                f"GROUP BY {column} HAVING COUNT(*) > 1"
            )
        ).all()
        problems += [f"{column} {value} is used by {count} organisations" for value, count in rows]
    if problems:
        raise RuntimeError(
            "Registered numbers must each belong to one organisation. Clear or correct these first: "
            + "; ".join(problems)
        )


def upgrade():
    connection = op.get_bind()
    _refuse_duplicate_identifiers(connection)
    op.create_table(
        "organisation_words",
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_words_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word", "organisation_id", name=op.f("pk_organisation_words")),
    )
    with op.batch_alter_table("organisation_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_words_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "name_word_variants",
        sa.Column("variant", sa.String(length=60), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("variant", "word", name=op.f("pk_name_word_variants")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("name_twin", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("confirmed_distinct_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organisations_merged_into_id_organisations"), "organisations", ["merged_into_id"], ["id"]
        )
        batch_op.create_unique_constraint("uq_organisations_charity_number", ["charity_number"])
        batch_op.create_unique_constraint("uq_organisations_company_number", ["company_number"])
        batch_op.create_unique_constraint("uq_organisations_gss_code", ["gss_code"])

    op.create_table(
        "organisation_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_name", sa.String(length=200), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["kept_id"], ["organisations.id"], name=op.f("fk_organisation_merges_kept_id_organisations")),
        sa.ForeignKeyConstraint(
            ["merged_id"], ["organisations.id"], name=op.f("fk_organisation_merges_merged_id_organisations")
        ),
        sa.ForeignKeyConstraint(["merged_by_id"], ["users.id"], name=op.f("fk_organisation_merges_merged_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_merges")),
        sa.UniqueConstraint("merged_id", name=op.f("uq_organisation_merges_merged_id")),
    )
    with op.batch_alter_table("organisation_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_merges_kept_id"), ["kept_id"], unique=False)

    from campaigns.organisations.name_index import reindex_all

    reindex_all(connection)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_organisations_name_key", ["name_key", "name_twin"])
        batch_op.create_check_constraint(
            op.f("ck_organisations_twin_confirmed_distinct"), "name_twin = 0 OR confirmed_distinct_at IS NOT NULL"
        )


def downgrade():
    with op.batch_alter_table("organisation_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_merges_kept_id"))
    op.drop_table("organisation_merges")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisations_twin_confirmed_distinct"), type_="check")
        batch_op.drop_constraint("uq_organisations_name_key", type_="unique")
        batch_op.drop_constraint("uq_organisations_gss_code", type_="unique")
        batch_op.drop_constraint("uq_organisations_company_number", type_="unique")
        batch_op.drop_constraint("uq_organisations_charity_number", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_organisations_merged_into_id_organisations"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("confirmed_distinct_at")
        batch_op.drop_column("name_twin")
        batch_op.drop_column("name_key")
    op.drop_table("name_word_variants")
    with op.batch_alter_table("organisation_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_words_organisation_id"))
    op.drop_table("organisation_words")
