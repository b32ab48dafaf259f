"""The emailed links to a signature (confirm, withdraw, confirm a newer text): the signature each is for, if
the link is still good."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from campaigns.errors import InvalidLink
from campaigns.extensions import db
from campaigns.signatures import emails
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements.models import Statement
from campaigns.tokens import read_token, same_secret


class LinkUsed(InvalidLink):
    """A genuine link to `signature` that has been used already (or replaced by a newer one)."""

    def __init__(self, signature: Signature) -> None:
        super().__init__("This link has already been used.")
        self.signature = signature


def send_withdrawal_link(statement: Statement, email: str) -> None:
    """Email a link to withdraw to whoever signed with `email`; say nothing about whether anyone did."""
    for signature in db.session.scalars(
        sa.select(Signature).where(
            Signature.statement_id == statement.id,
            sa.func.lower(Signature.signer_email) == email.lower(),
            Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
        )
    ):
        emails.send_withdrawal_link(signature)


def signature_for_link(token: str, action: str, statement: Statement, *, lock: bool = True) -> Signature:
    """The signature an emailed link is for, if the link is still good; InvalidLink with the reason if not."""
    signature = _signature_from(token, action, lock=lock)
    if signature.statement_id != statement.id:
        raise InvalidLink("This link is not valid.")
    return signature


def _signature_from(token: str, action: str, *, lock: bool = True) -> Signature:
    days = emails.LINK_DAYS if action == "confirm" else emails.CHOICE_LINK_DAYS
    payload = read_token(
        "signature",
        token,
        timedelta(days=days),
        expired_message=f"This link has expired: it lasted {days} days.",
    )
    if payload.get("a") != action or not isinstance(payload.get("s"), int):
        raise InvalidLink("This link is not valid.")
    query = sa.select(Signature).where(Signature.id == payload["s"])
    signature = db.session.scalar(query.with_for_update() if lock else query)
    if signature is None:
        raise InvalidLink("This link is no longer valid.")
    if lock:
        db.session.refresh(signature)
    if not same_secret(payload.get("n"), signature.nonce):
        raise LinkUsed(signature)
    return signature
