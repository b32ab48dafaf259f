"""The email update itself: rendered once with merge fields as markers, then filled in per recipient.

Rendering the templates once and replacing a few markers per recipient is what lets 10,000 rows be
written in about a second; the text and HTML parts are otherwise exactly those of a single render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import current_app
from markupsafe import escape

from campaigns.database import utcnow
from campaigns.mailings.models import Mailing
from campaigns.outbox.services import is_one_address, new_message_id, render_email, sender_domain
from campaigns.statements.markdown import render_markdown
from campaigns.tokens import make_token
from campaigns.urls import external_url

#: The merge fields a writer may use, and the marker each stands for while rendering.
MERGE_FIELDS = {"((name))": "mergefieldname0c4f", "((organisation))": "mergefieldorganisation0c4f"}
_UNSUBSCRIBE = "mergefieldunsubscribe0c4f"
UNSUBSCRIBE_PURPOSE = "unsubscribe"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    organisation: str
    #: The organisation's kind and region, for the list of who will get an update.
    kind: str | None = None
    region: str | None = None


def mailto_subject(token: str) -> str:
    """The subject of an emailed unsubscribe request: the mail reader (`process-bounces`) looks for the token."""
    return f"unsubscribe {token}"


def unsubscribe_token(mailing: Mailing, email: str) -> str:
    return make_token(UNSUBSCRIBE_PURPOSE, {"e": email.lower(), "s": mailing.statement_id, "m": mailing.id})


def _marked(source: str) -> str:
    for field, marker in MERGE_FIELDS.items():
        source = source.replace(field, marker)
    return source


@dataclass(frozen=True)
class Rendered:
    """An update rendered once, with markers where each recipient's details go."""

    mailing_id: int
    subject: str
    text: str
    html: str
    unsubscribe_prefix: str
    list_id: str
    #: An address that takes unsubscribe requests by email (CAMPAIGNS_UNSUBSCRIBE_MAILTO), if there is one.
    unsubscribe_mailto: str | None = None

    def for_recipient(self, recipient: Recipient, token: str) -> tuple[str, str, str, dict[str, str]]:
        """Subject, text, HTML and headers for one recipient."""
        link = self.unsubscribe_prefix + token
        raw = {MERGE_FIELDS["((name))"]: recipient.name, MERGE_FIELDS["((organisation))"]: recipient.organisation}
        subject, text, html = self.subject, self.text, self.html
        for marker, value in raw.items():
            # A header cannot hold a line break; names never should.
            subject = subject.replace(marker, " ".join(value.split()))
            text = text.replace(marker, value)
            html = html.replace(marker, str(escape(value)))
        text = text.replace(_UNSUBSCRIBE, link)
        html = html.replace(_UNSUBSCRIBE, str(escape(link)))
        return subject, text, html, self.headers(link, token)

    def headers(self, link: str, token: str) -> dict[str, str]:
        """RFC 2369 and RFC 8058: the link a mail program POSTs to for one-click unsubscribe, and the mailto."""
        unsubscribe = f"<{link}>"
        if self.unsubscribe_mailto:
            unsubscribe += f", <mailto:{self.unsubscribe_mailto}?subject={quote(mailto_subject(token))}>"
        return {
            "List-Unsubscribe": unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
        }


def render(mailing: Mailing) -> Rendered:
    statement = mailing.statement
    body = _marked(mailing.body)
    subject, text, html = render_email(
        "mailing_update",
        mailing=mailing,
        statement=statement,
        organisation=mailing.organisation,
        body_text=body.strip(),
        body_html=render_markdown(body),
        subject_line=_marked(mailing.subject),
        unsubscribe_link=_UNSUBSCRIBE,
        statement_link=external_url("statements.public", slug=statement.slug),
        recipient="",
    )
    prefix = external_url("mailings.unsubscribe", token="TOKEN").removesuffix("TOKEN")
    # RFC 2919: a list identifier under a domain we send from, one per statement.
    list_id = f"Updates on {statement.slug} <{statement.slug}.updates.{sender_domain()}>"
    mailto = current_app.config.get("CAMPAIGNS_UNSUBSCRIBE_MAILTO")
    return Rendered(mailing.id, subject, text, html, prefix, list_id, mailto)


def rows_for(mailing: Mailing, recipients: list[Recipient], now: datetime) -> list[dict[str, object]]:
    """One outbox row per recipient, as plain dictionaries for one bulk insert."""
    rendered = render(mailing)
    due = min(now, utcnow())  # a scheduled update started late still goes at once
    rows = []
    for recipient in recipients:
        if not is_one_address(recipient.email):
            continue  # an address that could never be delivered; signing on checks them, so this is rare
        subject, text, html, headers = rendered.for_recipient(recipient, unsubscribe_token(mailing, recipient.email))
        rows.append(
            {
                "recipient": recipient.email,
                "subject": subject,
                "text_body": text,
                "html_body": html,
                "headers": headers,
                "message_id": new_message_id(),
                "mailing_id": mailing.id,
                "template": "mailing_update",
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": due,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def preview(mailing: Mailing, sample: Recipient) -> tuple[str, str, str, dict[str, str]]:
    """The update exactly as `sample` would receive it."""
    return render(mailing).for_recipient(sample, unsubscribe_token(mailing, sample.email))
