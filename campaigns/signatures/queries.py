"""Read-only queries for the signer's own pages (the public and owners' lists have modules of their own)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, lazyload

from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.models import Signature, SignatureContact, SignatureSettings, SignatureStatus
from campaigns.signatures.opening import remember_settings
from campaigns.statements.models import Participant, Revision, Statement
from campaigns.statements.queries import Author, author_order, is_author, remember_authors, require_published


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
    """The published statement at `slug` with the title of its published text, its signature settings and its
    authors, or NotFound: for a form sent to it, in one read (the rest of the text, its lead and topics are loaded if
    used). The settings and authors are remembered until the transaction writes (see opening.settings_for and
    statements.queries.author_names)."""
    rows = db.session.execute(_PUBLISHED_TO_SIGN, {"slug": slug}).all()
    statement = require_published(rows[0][0] if rows else None)
    remember_settings(statement, rows[0][1])
    # An outer join: a statement without authors (never published so) has one row, its author None.
    remember_authors(statement.id, [Author(row[2], row[3]) for row in rows if row[2]])
    return statement


# Built once, with the slug a parameter: every sign-on runs it, and building it costs more than running it. A row for
# each author (a statement has a few), so only the revision's title is read along, not its text.
_author, _participant = aliased(Organisation, name="author"), aliased(Participant, name="author_part")
_PUBLISHED_TO_SIGN = (
    sa.select(Statement, SignatureSettings, _author.id, _author.name)
    .outerjoin(SignatureSettings, SignatureSettings.statement_id == Statement.id)
    .outerjoin(_participant, sa.and_(_participant.statement_id == Statement.id, is_author(_participant)))
    .outerjoin(_author, _author.id == _participant.organisation_id)
    .where(Statement.slug == sa.bindparam("slug"))
    .options(
        lazyload(Statement.topics),
        joinedload(Statement.agreed_revision).load_only(Revision.statement_id, Revision.number, Revision.title),
    )
    .order_by(*author_order(_participant, _author))
)
