"""Deleting an account: when it was deleted, and the audit log's details may be erased (nothing else of an entry).

Revision ID: a7d2e9c41b58
Revises: a7c2e9f14b3d
Create Date: 2026-12-07 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d2e9c41b58"
down_revision = "a7c2e9f14b3d"
branch_labels = None
depends_on = None

#: Every column of an audit entry but its detail: these never change. The detail may have personal data erased
#: from it when the person deletes their account (campaigns/privacy/erasure.py); entries are still never deleted.
FIXED = "id, created_at, actor_id, organisation_id, action, object_type, object_id"

SQLITE_BEFORE = [
    "DROP TRIGGER audit_events_no_update",
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE OF {FIXED} ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
SQLITE_AFTER = [
    "DROP TRIGGER audit_events_no_update",
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
POSTGRESQL_BEFORE = [
    "DROP TRIGGER audit_events_append_only ON audit_events",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE OF {FIXED} ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
]
POSTGRESQL_AFTER = [
    "DROP TRIGGER audit_events_no_update ON audit_events",
    "DROP TRIGGER audit_events_no_delete ON audit_events",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
]


def _run(postgresql: list[str], sqlite: list[str]) -> None:
    for statement in postgresql if op.get_bind().dialect.name == "postgresql" else sqlite:
        op.execute(statement)


def upgrade():
    op.add_column("users", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    _run(POSTGRESQL_BEFORE, SQLITE_BEFORE)


def downgrade():
    _run(POSTGRESQL_AFTER, SQLITE_AFTER)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
