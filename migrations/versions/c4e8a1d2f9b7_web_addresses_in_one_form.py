"""Web addresses in one form: every stored website (organisations, targets) becomes an http(s) address in its
normal form, or is emptied when it cannot be one (a `javascript:` link, text that is no address).

Revision ID: c4e8a1d2f9b7
Revises: f31317d04bca
Create Date: 2026-12-07 04:30:00.000000

"""

import logging

import sqlalchemy as sa
from alembic import op

# The rule the column type enforces from now on: the rows already there are brought under the same one.
from campaigns.web_addresses import NotAWebAddress, normalise_web_address

# revision identifiers, used by Alembic.
revision = "c4e8a1d2f9b7"
down_revision = "f31317d04bca"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

#: (table, its name column, the value an emptied website takes)
TABLES = [("organisations", "name", None), ("submission_targets", "name", "")]


def upgrade():
    connection = op.get_bind()
    for table, name_column, empty in TABLES:
        rows = connection.execute(
            sa.text(f"SELECT id, {name_column}, website FROM {table} WHERE website IS NOT NULL AND website <> ''")
        ).all()
        for row_id, name, website in rows:
            try:
                normal = normalise_web_address(website)
            except NotAWebAddress:
                normal = empty
                log.warning("%s %s (%s): website %r is not a web address and was removed", table, row_id, name, website)
            if normal != website:
                connection.execute(
                    sa.text(f"UPDATE {table} SET website = :website WHERE id = :id"), {"website": normal, "id": row_id}
                )


def downgrade():
    # Normal forms are still valid addresses; what was removed was never a usable link, and is not restored.
    pass
