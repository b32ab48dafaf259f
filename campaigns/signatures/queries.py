"""Read-only queries for the signer's own pages (the public and owners' lists have modules of their own)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements.models import Statement


def withdrawable(statement: Statement, organisations: list[Organisation]) -> list[Signature]:
    """The statement's pending and confirmed signatures of `organisations`, oldest first, with their organisations."""
    return list(
        db.session.scalars(
            sa.select(Signature)
            .where(
                Signature.statement_id == statement.id,
                Signature.organisation_id.in_([organisation.id for organisation in organisations]),
                Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
            )
            .options(joinedload(Signature.organisation))
            .order_by(Signature.id)
        )
    )


def confirmed_signature(statement: Statement, signature_id: int) -> Signature | None:
    """The statement's signature `signature_id` if it is confirmed; None otherwise."""
    found = db.session.get(Signature, signature_id)
    if found is None or found.statement_id != statement.id or found.status != SignatureStatus.CONFIRMED:
        return None
    return found
