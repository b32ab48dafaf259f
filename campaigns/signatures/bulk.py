"""Many confirmed, counted signatures written by the database itself in one go: for the benchmark and the tests.

PostgreSQL only (generate_series). It leaves what signing on and confirming would: organisations of every kind
and region, signatures confirmed a few seconds apart (some in the same second, some not listed publicly), the
counters, the days of the chart and the periods each counted for, and the organisations' names indexed as adding
them one by one would (their words, and the variants of each). 100,000 take a few seconds.
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.organisations.name_index import index_words_after
from campaigns.statements.models import Statement

_ORGANISATIONS = """
INSERT INTO organisations (name, slug, kind, subtype, region, description, name_key, name_twin, created_at,
                           updated_at, version, register_flagged)
SELECT initcap(:prefix) || ' Trust ' || g, :prefix || '-trust-' || g,
       CASE WHEN g % 5 = 0 THEN 'council' WHEN g % 23 = 0 THEN 'public_body' ELSE 'vcs' END,
       CASE WHEN g % 5 = 0 THEN 'district' WHEN g % 23 = 0 THEN NULL ELSE 'charity' END,
       (ARRAY['north_east', 'north_west', 'yorkshire_and_the_humber', 'east_midlands', 'west_midlands',
              'east_of_england', 'london', 'south_east', 'south_west', 'wales', 'scotland', 'northern_ireland',
              'uk_wide'])[1 + g % 13],
       '', :prefix || ' trust ' || g, 0, now(), now(), 1, false
FROM generate_series(1, :count) AS g
"""

_SIGNATURES = """
INSERT INTO signatures (statement_id, organisation_id, revision_id, status, counted_kind, counted_verified,
                        organisation_region, signer_name, signer_role, signer_email, comment, list_publicly,
                        wants_updates, consent_text, consented_at, organisation_added_here, before_launch, nonce,
                        created_at, confirmed_at, withdrawal_reason, hidden_reason)
SELECT :statement_id, o.id, :revision_id, 'confirmed', o.kind, false, o.region, 'Signer ' || o.id, 'Chair',
       'signer' || o.id || '@example.org', '', o.id % 17 <> 0, o.id % 2 = 0, 'List us publicly',
       now() - make_interval(secs => o.id * 7), false, false, :prefix || '-' || o.id,
       now() - make_interval(secs => o.id * 7), now() - make_interval(secs => (o.id / 3) * 21), '', ''
FROM organisations AS o WHERE o.slug LIKE :prefix || '-trust-%'
"""

_COUNTERS = (
    """UPDATE signature_counts SET count = signature_counts.count + c.n FROM (
           SELECT counted_kind, count(*) AS n FROM signatures
           WHERE statement_id = :statement_id AND nonce LIKE :prefix || '-%' GROUP BY counted_kind) AS c
       WHERE signature_counts.statement_id = :statement_id AND signature_counts.kind = c.counted_kind
       AND signature_counts.verified = false""",
    """INSERT INTO signature_days (statement_id, day, count)
       SELECT :statement_id, (confirmed_at AT TIME ZONE 'Europe/London')::date, count(*) FROM signatures
       WHERE statement_id = :statement_id AND nonce LIKE :prefix || '-%' GROUP BY 2
       ON CONFLICT (statement_id, day) DO UPDATE SET count = signature_days.count + excluded.count""",
    """INSERT INTO signature_periods (signature_id, statement_id, counted_from)
       SELECT id, statement_id, confirmed_at FROM signatures
       WHERE statement_id = :statement_id AND nonce LIKE :prefix || '-%'""",
)


def add_confirmed_signatures(statement: Statement, count: int, *, prefix: str = "bulk") -> None:
    """Sign the open `statement` (its counters exist) for `count` new organisations, all confirmed and counted."""
    assert db.session.get_bind().dialect.name == "postgresql", "generate_series: PostgreSQL only"
    assert prefix.isalnum() and prefix.islower(), "the prefix is one word of the names and their keys"
    before = db.session.scalar(sa.select(sa.func.max(Organisation.id))) or 0
    ids = {"statement_id": statement.id, "revision_id": statement.agreed_revision_id, "prefix": prefix}
    db.session.execute(sa.text(_ORGANISATIONS), {"prefix": prefix, "count": count})
    index_words_after(db.session.connection(), before)
    db.session.execute(sa.text(_SIGNATURES), ids)
    for sql in _COUNTERS:
        db.session.execute(sa.text(sql), ids)
    db.session.flush()
