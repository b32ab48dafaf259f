"""The demo's sent update says what happened when it was sent: who it reached then, and the messages to show it."""

import re

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.outbox.models import OutboxMessage
from campaigns.signatures.models import Signature


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_demo_update_sent_ten_days_ago_reached_those_signed_by_then_and_its_progress_says_so(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    sent = db.session.scalars(sa.select(Mailing).where(Mailing.status == MailingStatus.SENT)).one()
    messages = list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.mailing_id == sent.id)))
    assert sent.recipient_count == len(messages) > 0
    assert {m.status.value for m in messages} == {"sent"} and {m.sent_at for m in messages} == {sent.started_at}
    signed_later = set(
        db.session.scalars(
            sa.select(Signature.signer_email).where(
                Signature.statement_id == sent.statement_id, Signature.confirmed_at > sent.started_at
            )
        )
    )
    assert signed_later and not signed_later & {m.recipient for m in messages}

    client.post("/sign-in", data={"email": "sam.patel@northshire.example.org", "password": "common-ground-demo"})
    slug = sent.statement.slug
    shown = _text(client.get(f"/statements/{slug}/updates/{sent.id}").text)
    assert f"Who it was sent to Every signatory who asked for updates: {sent.recipient_count} people" in shown
    assert "As it was sent, with your name and organisation" in shown and "Your organisation" not in shown
    progress = _text(client.get(f"/statements/{slug}/updates/{sent.id}/progress").text)
    assert f"Queued 0 Sent {sent.recipient_count} Failed 0" in progress
