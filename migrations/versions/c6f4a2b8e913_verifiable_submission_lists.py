"""Verifiable submission lists: each frozen signatory keeps its organisation's identifier, and each sent
submission the SHA-256 digest of its list's canonical form, unique, for /verify/<digest>.

Lists frozen before this migration take their organisations' identifiers as they are now, and get digests.

Revision ID: c6f4a2b8e913
Revises: 8c3e1f5a7d21
Create Date: 2026-12-07 06:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "c6f4a2b8e913"
down_revision = "8c3e1f5a7d21"
branch_labels = None
depends_on = None


def _backfill(connection):
    from campaigns.organisations.identifiers import org_id
    from campaigns.submissions.signatories import CANONICAL_VERSION, _clean, digest_of

    for row in connection.execute(
        sa.text(
            "SELECT s.id AS submission_id, o.charity_number, o.company_number, o.gss_code, ss.id AS row_id "
            "FROM submission_signatories ss JOIN submissions s ON s.id = ss.submission_id "
            "JOIN organisations o ON o.id = ss.organisation_id"
        )
    ).all():
        identifier = org_id(row.charity_number, row.company_number, row.gss_code)
        if identifier:
            connection.execute(
                sa.text("UPDATE submission_signatories SET identifier = :i WHERE id = :id"),
                {"i": identifier, "id": row.row_id},
            )
    for submission in connection.execute(
        sa.text(
            "SELECT s.id, s.sent_on, s.signatory_counts, st.slug, r.number, t.name FROM submissions s "
            "JOIN statements st ON st.id = s.statement_id JOIN revisions r ON r.id = s.revision_id "
            "JOIN submission_targets t ON t.id = s.target_id WHERE s.sent_on IS NOT NULL"
        )
    ).all():
        counts = submission.signatory_counts
        counts = json.loads(counts) if isinstance(counts, str) else counts
        rows = connection.execute(
            sa.text("SELECT identifier, name FROM submission_signatories WHERE submission_id = :id ORDER BY position"),
            {"id": submission.id},
        ).all()
        sent_on = submission.sent_on if isinstance(submission.sent_on, str) else submission.sent_on.isoformat()
        lines = [
            CANONICAL_VERSION,
            f"Statement: {submission.slug}",
            f"Revision: {submission.number}",
            f"Target: {_clean(submission.name)}",
            f"Sent: {sent_on[:10]}",
            f"Signatories: {sum(counts.values())}, {len(rows)} named",
        ] + [f"{identifier or '-'}\t{_clean(name)}" for identifier, name in rows]
        connection.execute(
            sa.text("UPDATE submissions SET digest = :d WHERE id = :id"),
            {"d": digest_of("".join(f"{line}\n" for line in lines)), "id": submission.id},
        )


def upgrade():
    with op.batch_alter_table("submission_signatories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identifier", sa.String(length=40), nullable=True))
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_submissions_digest"), ["digest"])
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_submissions_digest"), type_="unique")
        batch_op.drop_column("digest")
    with op.batch_alter_table("submission_signatories", schema=None) as batch_op:
        batch_op.drop_column("identifier")
