"""Email about signatures. Each function only queues a message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from campaigns.accounts.models import User
from campaigns.outbox.services import queue_email
from campaigns.signatures.models import Signature
from campaigns.statements.diffs import list_diff, word_diff
from campaigns.statements.models import Revision
from campaigns.tokens import make_token
from campaigns.urls import external_url

#: A signature's emailed links work for this long.
LINK_DAYS = 7
#: The links to confirm a newer text or withdraw last longer: people answer them when they can.
CHOICE_LINK_DAYS = 90


def signature_token(signature: Signature, action: str) -> str:
    """A single-use link for one action on one signature: it names the signature's current nonce."""
    return make_token("signature", {"s": signature.id, "n": signature.nonce, "a": action})


def _link(signature: Signature, action: str, endpoint: str) -> str:
    return external_url(endpoint, slug=signature.statement.slug, token=signature_token(signature, action))


def send_confirmation(signature: Signature) -> None:
    queue_email(
        signature.signer_email,
        "signature_confirm",
        signature=signature,
        statement=signature.statement,
        link=_link(signature, "confirm", "signatures.confirm"),
        days=LINK_DAYS,
    )


def send_confirmed(signature: Signature, who_may_contact: str) -> None:
    """A receipt, with a link to withdraw at any time, and what the signer chose about contact."""
    queue_email(
        signature.signer_email,
        "signature_confirmed",
        signature=signature,
        statement=signature.statement,
        link=external_url("signatures.signatories", slug=signature.statement.slug),
        withdraw_link=_link(signature, "withdraw", "signatures.withdraw_by_link"),
        contacts_link=_link(signature, "contacts", "signatures.contacts_by_link"),
        who_may_contact=who_may_contact,
    )


def send_withdrawal_link(signature: Signature) -> None:
    queue_email(
        signature.signer_email,
        "signature_withdrawal_link",
        signature=signature,
        statement=signature.statement,
        withdraw_link=_link(signature, "withdraw", "signatures.withdraw_by_link"),
        contacts_link=_link(signature, "contacts", "signatures.contacts_by_link"),
        days=CHOICE_LINK_DAYS,
    )


def send_attempt_noted(signature: Signature, attempted_by: str) -> None:
    """Someone tried to sign again for an organisation that has signed: tell the one who did."""
    queue_email(
        signature.signer_email,
        "signature_attempt",
        signature=signature,
        statement=signature.statement,
        attempted_by=attempted_by,
        link=external_url("statements.public", slug=signature.statement.slug),
    )


def send_signed_on_your_behalf(admins: Iterable[User], signature: Signature) -> None:
    """Someone who is not one of its signatories signed for an organisation: its admins can withdraw it."""
    for admin in admins:
        queue_email(
            admin.email,
            "signature_on_behalf",
            admin=admin,
            signature=signature,
            statement=signature.statement,
            link=external_url("signatures.withdraw", slug=signature.statement.slug),
            statement_link=external_url("statements.public", slug=signature.statement.slug),
        )


def send_hidden(signature: Signature) -> None:
    if not signature.signer_email:
        return  # erased under the retention rules: there is nobody to tell
    queue_email(signature.signer_email, "signature_hidden", signature=signature, statement=signature.statement)


_HIDDEN = re.compile(r'<span class="govuk-visually-hidden">[^<]*</span>')
_EMAIL_MARKS = {
    '<del class="app-diff__del">': '<del style="background:#f6d7d2;color:#0b0c0c;">[removed: ',
    "</del>": "]</del>",
    '<ins class="app-diff__ins">': '<ins style="background:#cce2d8;color:#0b0c0c;">[added: ',
    "</ins>": "]</ins>",
}


def diff_for_email(diff: Markup) -> tuple[Markup, str]:
    """A word diff as email clients show it (no stylesheet, so the marks are spelled out), and as plain text."""
    html = _HIDDEN.sub("", str(diff))
    for mark, replacement in _EMAIL_MARKS.items():
        html = html.replace(mark, replacement)
    text = Markup(re.sub(r"</?(ins|del)[^>]*>", "", html)).unescape()
    return Markup(html), text


def send_reconfirm(signature: Signature, *, signed: Revision, agreed: Revision) -> None:
    """The co-authors agreed a newer text: show the signatory what changed, with a link for each choice."""
    fields = [
        (label, *diff_for_email(word_diff(getattr(signed, name), getattr(agreed, name))))
        for name, label in (("title", "Title"), ("summary", "Summary"), ("body", "Text"))
        if getattr(signed, name) != getattr(agreed, name)
    ]
    asks = [(change.kind, *diff_for_email(change.html)) for change in list_diff(signed.asks, agreed.asks)]
    queue_email(
        signature.signer_email,
        "signature_reconfirm",
        signature=signature,
        statement=signature.statement,
        signed=signed,
        agreed=agreed,
        fields=fields,
        asks=asks if list(signed.asks) != list(agreed.asks) else [],
        confirm_link=_link(signature, "reconfirm", "signatures.reconfirm"),
        withdraw_link=_link(signature, "withdraw", "signatures.withdraw_by_link"),
        read_link=external_url("statements.public", slug=signature.statement.slug),
        days_left=(signature.reconfirm_by - signature.reconfirm_asked_at).days
        if signature.reconfirm_by and signature.reconfirm_asked_at
        else None,
    )
