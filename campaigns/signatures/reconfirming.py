"""A newer text agreed: signatories of an earlier one are asked to confirm it or withdraw, and past the owners'
limit their signatures stop counting. With the hourly jobs (lapse, expire) and recounts after an organisation
changes."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from campaigns.database import rows_changed, utcnow
from campaigns.errors import InvalidLink
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures import emails
from campaigns.signatures.activity import record_signature
from campaigns.signatures.counting import Tally, count, recount, uncount
from campaigns.signatures.links import signature_for_link
from campaigns.signatures.models import Signature, SignatureStatus, new_nonce
from campaigns.signatures.opening import settings_for
from campaigns.statements.models import Revision, Statement


def reconfirm(token: str, statement: Statement) -> Signature:
    """The signatory agrees the newer text: the signature is pinned to it, and counts again if it had lapsed."""
    signature = signature_for_link(token, "reconfirm", statement)
    if signature.status != SignatureStatus.CONFIRMED or signature.reconfirm_revision_id is None:
        raise InvalidLink("There is nothing to confirm for this signature.")
    signature.revision_id = signature.reconfirm_revision_id
    signature.reconfirm_revision_id = signature.reconfirm_asked_at = signature.reconfirm_by = None
    signature.lapsed_at = None
    signature.nonce = new_nonce()
    count(signature)
    record_signature("signature.reconfirmed", signature, actor=None)
    return signature


def ask_to_reconfirm(statement: Statement, revision: Revision) -> int:
    """A newer revision was agreed: ask every confirmed signatory of an earlier one to confirm it or withdraw."""
    days = settings_for(statement).earlier_version_days
    signatures = db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.revision_id != revision.id,
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all()
    for signature in signatures:
        ask(signature, revision, days)
    return len(signatures)


def ask(signature: Signature, revision: Revision, days: int | None) -> None:
    """Ask one signatory to confirm `revision` or withdraw, within `days` (None: no limit), by email."""
    signed = signature.revision
    signature.reconfirm_revision_id = revision.id
    signature.reconfirm_asked_at = utcnow()
    signature.reconfirm_by = signature.reconfirm_asked_at + timedelta(days=days) if days is not None else None
    signature.nonce = new_nonce()
    emails.send_reconfirm(signature, signed=signed, agreed=revision)


def lapse_due() -> int:
    """Signatures of an earlier version past the owners' limit stop counting. Run hourly (flask lapse-signatures)."""
    tally = Tally()
    signatures = db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.reconfirm_by.is_not(None),
            Signature.reconfirm_by <= utcnow(),
            Signature.lapsed_at.is_(None),
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all()
    for signature in signatures:
        _lapse(signature, tally)
    tally.write()
    return len(signatures)


def _lapse(signature: Signature, tally: Tally) -> None:
    uncount(signature, tally)
    signature.lapsed_at = utcnow()
    record_signature("signature.lapsed", signature, actor=None)


def expire_unconfirmed() -> int:
    """Signatures never confirmed within the link's life expire (they never counted). Run hourly (flask
    expire-signatures)."""
    cutoff = utcnow() - timedelta(days=emails.LINK_DAYS)
    result = db.session.execute(
        sa.update(Signature)
        .where(Signature.status == SignatureStatus.PENDING, Signature.created_at < cutoff)
        .values(status=SignatureStatus.EXPIRED, nonce=sa.func.substr(Signature.nonce, 1, 8))
    )
    return rows_changed(result)


def recount_organisation(organisation: Organisation) -> None:
    """The organisation's kind or verification changed: its counted signatures move with it."""
    tally = Tally()
    for signature in db.session.scalars(
        sa.select(Signature)
        .where(Signature.organisation_id == organisation.id, Signature.counted_kind.is_not(None))
        .order_by(Signature.id)
        .with_for_update()
    ).all():
        recount(signature, tally)
    tally.write()


def apply_earlier_version_limit(statement: Statement, days: int | None) -> None:
    """Every signature waiting to confirm a newer text gets the new limit, counted from when it was asked."""
    tally = Tally()
    now = utcnow()
    for signature in db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.reconfirm_revision_id.is_not(None),
            Signature.reconfirm_asked_at.is_not(None),
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all():
        asked = signature.reconfirm_asked_at
        assert asked is not None
        signature.reconfirm_by = asked + timedelta(days=days) if days is not None else None
        counts = signature.reconfirm_by is None or signature.reconfirm_by > now
        if counts and signature.lapsed_at is not None:
            signature.lapsed_at = None
            count(signature, tally)
            record_signature("signature.counts_again", signature, actor=None)
        elif not counts and signature.lapsed_at is None:
            _lapse(signature, tally)
    tally.write()
