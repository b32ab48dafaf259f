"""Read-only queries for the signer's own pages (the public and owners' lists have modules of their own)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature, SignatureContact, SignatureSettings, SignatureStatus
from campaigns.signatures.opening import remember_settings
from campaigns.statements.models import Statement
from campaigns.statements.queries import require_published


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


def may_contact(signature_ids: list[int], organisation: Organisation) -> set[int]:
    """Those of `signature_ids` whose signers agreed that `organisation` may contact them."""
    if not signature_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(SignatureContact.signature_id).where(
                SignatureContact.organisation_id == organisation.id,
                SignatureContact.signature_id.in_(signature_ids),
            )
        )
    )


def contact_choices(signature: Signature) -> set[int]:
    """The ids of the organisations the signer agreed may contact them."""
    return set(
        db.session.scalars(
            sa.select(SignatureContact.organisation_id).where(SignatureContact.signature_id == signature.id)
        )
    )


def published_to_sign(slug: str) -> Statement:
    """The published statement at `slug` with its published text and its signature settings, or NotFound: for a form
    sent to it, in one read (its lead, topics and other revisions are loaded if used). The settings are remembered
    until the transaction writes (see opening.settings_for)."""
    row = db.session.execute(_PUBLISHED_TO_SIGN, {"slug": slug}).first()
    statement = require_published(row[0] if row is not None else None)
    remember_settings(statement, row[1] if row is not None else None)
    return statement


# Built once, with the slug a parameter: every sign-on runs it, and building it costs more than running it.
_PUBLISHED_TO_SIGN = (
    sa.select(Statement, SignatureSettings)
    .outerjoin(SignatureSettings, SignatureSettings.statement_id == Statement.id)
    .where(Statement.slug == sa.bindparam("slug"))
    .options(lazyload(Statement.topics), joinedload(Statement.agreed_revision))
)
