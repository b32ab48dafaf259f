"""Queueing email. Services never send mail: they queue it here, in their own transaction,
and the worker delivers it after commit. A rolled-back request therefore sends nothing."""

from __future__ import annotations

import functools
import re
from email.utils import make_msgid, parseaddr
from typing import Any

from flask import current_app

from campaigns.database import insert_now
from campaigns.extensions import db
from campaigns.outbox.models import OutboxMessage

#: One bare address: no display name, no spaces or line breaks that would smuggle in another header.
_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")
#: A header field name (RFC 5322: printable ASCII but the colon).
_HEADER_NAME = re.compile(r"[!-9;-~]+")


def is_one_address(recipient: str) -> bool:
    """True for one bare address the worker can send to."""
    return bool(_ADDRESS.fullmatch(recipient))


def render_email(template: str, **context: Any) -> tuple[str, str, str]:
    """Render `templates/emails/<template>.txt` and `.html`; the text template sets `subject`."""
    env = current_app.jinja_env
    text_module = env.get_template(f"emails/{template}.txt").make_module(context)
    subject = getattr(text_module, "subject", None)
    if not subject:
        raise ValueError(f"emails/{template}.txt must set a subject")
    html = env.get_template(f"emails/{template}.html").render(context | {"subject": subject})
    return " ".join(str(subject).split()), str(text_module).strip() + "\n", html


def sender_domain() -> str:
    """The domain of the From address: Message-IDs and list identifiers are made under it."""
    return _domain_of(current_app.config["MAIL_DEFAULT_SENDER"])


@functools.lru_cache(maxsize=8)
def _domain_of(sender: str) -> str:
    # Parsed once per setting, not once per email (the parser is slow, and every sign-on sends one).
    return parseaddr(sender)[1].rpartition("@")[2] or "commonground.localhost"


def new_message_id() -> str:
    """A new, globally unique Message-ID in the sender's domain."""
    return make_msgid(domain=sender_domain())


def queue_email(
    recipient: str, template: str, *, headers: dict[str, str] | None = None, **context: Any
) -> OutboxMessage:
    """Write one outbox row for `recipient`, rendered from `template` with `context`.

    A malformed recipient or header is refused here, in the caller's transaction, rather than failing in the worker.
    """
    if not _ADDRESS.fullmatch(recipient):
        raise ValueError(f"Cannot queue email: the recipient {recipient!r} is not one email address.")
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.fullmatch(name) or "\r" in value or "\n" in value:
            raise ValueError(f"Cannot queue email: the header {name!r}: {value!r} is malformed.")
    subject, text_body, html_body = render_email(template, recipient=recipient, **context)
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=headers or {},
        message_id=new_message_id(),
        template=template,
    )
    insert_now(db.session(), message)  # every sign-on queues one: written at once, not through the unit of work
    return message
