"""What happens to a signature once signed: confirmed by the emailed link, withdrawn by its organisation at any
time, hidden by the statement's owners.

Also the one import for callers: every signature operation is here, from the module that holds it (signing on
in signing.py, emailed links in links.py, earlier versions in reconfirming.py, the owners' settings in
settings.py, when signing is open in opening.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, InvalidLink, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission, can
from campaigns.organisations.services import admins_of
from campaigns.signatures import emails, events
from campaigns.signatures.activity import record_signature
from campaigns.signatures.contacts import CONSENT_LIST, CONSENT_UPDATES, consent_wording, in_a_sentence
from campaigns.signatures.counting import count, uncount
from campaigns.signatures.links import LinkUsed, send_withdrawal_link, signature_for_link
from campaigns.signatures.models import Signature, SignatureStatus, new_nonce
from campaigns.signatures.opening import (
    SigningClosed,
    launched,
    prepare_for_signatures,
    require_open_for_signing,
    saved_settings,
    settings_for,
)
from campaigns.signatures.reconfirming import (
    ask,
    ask_to_reconfirm,
    expire_unconfirmed,
    lapse_due,
    reconfirm,
    recount_organisation,
)
from campaigns.signatures.settings import (
    DAYS_MAX,
    SETTING_LABELS,
    TARGET_MAX,
    InvalidSetting,
    SettingsChange,
    SettingsConflict,
    new_private_link,
    settings_change,
    update_settings,
)
from campaigns.signatures.signing import (
    CHOOSE_ORGANISATION,
    COMMENT_MAX,
    NEW_ORGANISATION,
    DisposableAddress,
    Question,
    SignInToSign,
    SignOn,
    SignOnOutcome,
    TooManySignOns,
    VisitorSignOn,
    pretend_to_sign,
    sign,
    sign_as_member,
    sign_as_visitor,
)
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, acting_organisation


def confirm(token: str, statement: Statement) -> Signature:
    """Follow the emailed link: the signature counts from now on. A second use is refused; it counts once."""
    signature = signature_for_link(token, "confirm", statement)
    if signature.status != SignatureStatus.PENDING:
        raise InvalidLink("This signature has already been dealt with.")
    signature.status = SignatureStatus.CONFIRMED
    signature.confirmed_at = utcnow()
    signature.nonce = new_nonce()
    count(signature, at=signature.confirmed_at)
    record_signature("signature.confirmed", signature, actor=None)
    events.signature_confirmed.send(signature)
    emails.send_confirmed(signature, in_a_sentence(signature))
    if signature.signer is None or not can(signature.signer, signature.organisation, Permission.SIGN):
        emails.send_signed_on_your_behalf(admins_of(signature.organisation), signature)
    statement = signature.statement
    if statement.agreed_revision_id != signature.revision_id:
        # A newer text was agreed while the email was waiting: they signed the one they read.
        ask(signature, statement.published_revision, settings_for(statement).earlier_version_days)
    return signature


def withdraw(signature: Signature, *, actor: User, reason: str = "") -> None:
    """An organisation's signatory or admin withdraws its signature: it leaves the list and the counts at once."""
    if not can(actor, signature.organisation, Permission.SIGN):
        raise PermissionDenied(
            f"Only signatories and admins of {signature.organisation.name} can withdraw its signature."
        )
    _withdraw(signature, reason, actor)


def withdraw_by_link(token: str, statement: Statement, reason: str = "") -> Signature:
    """The signatory withdraws by an emailed link (in the receipt, a request for a newer text, or on request)."""
    signature = signature_for_link(token, "withdraw", statement)
    _withdraw(signature, reason, None)
    return signature


def _withdraw(signature: Signature, reason: str, actor: User | None) -> None:
    db.session.execute(sa.select(Signature.id).where(Signature.id == signature.id).with_for_update())
    db.session.refresh(signature)
    if signature.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        raise Conflict(f"{signature.organisation.name} has no signature on this statement to withdraw.")
    signature.status = SignatureStatus.WITHDRAWN
    signature.withdrawn_at = utcnow()
    uncount(signature, at=signature.withdrawn_at)
    signature.withdrawal_reason = reason.strip()
    signature.nonce = new_nonce()
    record_signature("signature.withdrawn", signature, actor=actor)
    events.signature_withdrawn.send(signature)


class NotHideable(Conflict):
    """The signature is no longer on the list: hidden by another owner a moment ago, withdrawn or expired."""

    def __init__(self, signature: Signature) -> None:
        name = signature.organisation.name
        super().__init__(
            {
                SignatureStatus.HIDDEN: f"{name}’s signature has already been hidden"
                + (f" by {signature.hidden_by.name}" if signature.hidden_by else "")
                + ". Nothing else has changed.",
                SignatureStatus.WITHDRAWN: f"{name} has withdrawn its signature, so there is nothing to hide.",
                SignatureStatus.EXPIRED: f"{name}’s signature was never confirmed and has expired: it is not shown.",
            }.get(signature.status, f"{name}’s signature cannot be hidden now.")
        )
        self.signature = signature


def hide(signature: Signature, *, actor: User, reason: str, acting_for: Organisation | None = None) -> None:
    """The statement's owners take a signature off the list and the counts, with a reason the signatory is sent."""
    owner = acting_organisation(actor, signature.statement, Action.EDIT, acting_for)
    if not reason.strip():
        raise DomainError("Say why you are hiding this signature.")
    db.session.execute(sa.select(Signature.id).where(Signature.id == signature.id).with_for_update())
    db.session.refresh(signature)
    if signature.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        raise NotHideable(signature)
    signature.status = SignatureStatus.HIDDEN
    signature.hidden_at = utcnow()
    uncount(signature, at=signature.hidden_at)
    signature.hidden_reason = reason.strip()
    signature.hidden_by_id = actor.id
    signature.nonce = new_nonce()
    record(
        "signature.hidden", signature.statement, organisation=owner, signature=signature.id, reason=reason, actor=actor
    )
    emails.send_hidden(signature)


#: The one import for callers: `from campaigns.signatures import services`, then `services.<name>`.
__all__ = [
    "CHOOSE_ORGANISATION",
    "COMMENT_MAX",
    "CONSENT_LIST",
    "CONSENT_UPDATES",
    "DAYS_MAX",
    "NEW_ORGANISATION",
    "SETTING_LABELS",
    "TARGET_MAX",
    "DisposableAddress",
    "InvalidSetting",
    "LinkUsed",
    "NotHideable",
    "Question",
    "SettingsChange",
    "SettingsConflict",
    "SignInToSign",
    "SignOn",
    "SignOnOutcome",
    "SigningClosed",
    "TooManySignOns",
    "VisitorSignOn",
    "ask_to_reconfirm",
    "confirm",
    "consent_wording",
    "expire_unconfirmed",
    "hide",
    "lapse_due",
    "launched",
    "new_private_link",
    "prepare_for_signatures",
    "pretend_to_sign",
    "reconfirm",
    "recount_organisation",
    "require_open_for_signing",
    "saved_settings",
    "send_withdrawal_link",
    "settings_change",
    "settings_for",
    "sign",
    "sign_as_member",
    "sign_as_visitor",
    "signature_for_link",
    "update_settings",
    "withdraw",
    "withdraw_by_link",
]
