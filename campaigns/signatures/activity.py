"""What the activity log says about a signature."""

from __future__ import annotations

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.signatures.models import Signature


def record_signature(action: str, signature: Signature, *, actor: User | None, **detail: object) -> None:
    """Record `action` on `signature` in the activity log, under its statement and organisation."""
    record(
        action, signature.statement, organisation=signature.organisation, signature=signature.id, **detail, actor=actor
    )
