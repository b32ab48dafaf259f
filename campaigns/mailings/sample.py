"""Many confirmed signatories who want updates, written in bulk: for the benchmark and the tests.

They skip signing on (no confirmation emails, no counts) and exist only to receive updates.
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements.models import Statement


def add_signatories(
    statement: Statement, count: int, *, prefix: str = "reader", domain: str = "example.org"
) -> list[str]:
    """Add `count` VCS organisations, each a confirmed signature wanting updates; returns their addresses."""
    now = utcnow()
    start = (db.session.scalar(sa.select(sa.func.max(Organisation.id))) or 0) + 1
    names = [(f"{prefix.capitalize()} Trust {n}", f"{prefix}-trust-{start + n}") for n in range(count)]
    db.session.execute(
        sa.insert(Organisation),
        [
            {
                "name": name,
                "slug": slug,
                "kind": OrganisationKind.VCS,
                "subtype": "charity",
                "region": "north_east",
                "description": "",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for name, slug in names
        ],
    )
    ids = dict(
        db.session.execute(
            sa.select(Organisation.slug, Organisation.id).where(Organisation.slug.in_([slug for _name, slug in names]))
        ).all()
    )
    emails = [f"{prefix}{n}@{domain}" for n in range(count)]
    db.session.execute(
        sa.insert(Signature),
        [
            {
                "statement_id": statement.id,
                "organisation_id": ids[slug],
                "revision_id": statement.agreed_revision_id or statement.current_revision_id,
                "status": SignatureStatus.CONFIRMED,
                "signer_name": f"Reader {n}",
                "signer_role": "Chief Executive",
                "signer_email": address,
                "wants_updates": True,
                "consent_text": "Email me updates about this statement",
                "consented_at": now,
                "created_at": now,
                "confirmed_at": now,
                "nonce": f"bulk{n}",
            }
            for n, ((_name, slug), address) in enumerate(zip(names, emails, strict=True))
        ],
    )
    db.session.flush()
    return emails
