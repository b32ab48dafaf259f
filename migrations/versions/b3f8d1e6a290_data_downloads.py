"""Data downloads: a person's request for a copy of everything held about them, built by the mail worker, leased as email is.

Revision ID: b3f8d1e6a290
Revises: 7d9dcc8884e0
Create Date: 2026-12-07 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3f8d1e6a290"
down_revision = "7d9dcc8884e0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "privacy_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=320), server_default="", nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sending",
                "sent",
                "failed",
                "cancelled",
                name="privacy_export_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_privacy_exports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_exports")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_privacy_exports_stored_name")),
    )
    op.create_index("ix_privacy_exports_status_next_attempt_at", "privacy_exports", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_privacy_exports_user_id"), "privacy_exports", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_privacy_exports_user_id"), table_name="privacy_exports")
    op.drop_index("ix_privacy_exports_status_next_attempt_at", table_name="privacy_exports")
    op.drop_table("privacy_exports")
