"""Sending an update: exactly the right people, each with their own details and unsubscribe link."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.errors import PermissionDenied
from campaigns.extensions import db
from campaigns.mailings import services, unsubscribing
from campaigns.mailings.hooks import suppress_if_address_refused
from campaigns.mailings.models import Audience, MailingStatus, Suppression, SuppressionReason
from campaigns.mailings.progress import progress as progress_of
from campaigns.mailings.services import UpdateDraft, UpdateRefused, WrongStatus
from campaigns.organisations.models import OrganisationKind
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.outbox.transport import DeliveryError, Envelope
from tests.mailings.builders import signatories, signatory, update
from tests.support.wire import check_message, header, unsubscribe_link


def updates(received):
    """The email updates among what the server received (signing on sends confirmations too)."""
    return [r for r in received if r.message["List-Unsubscribe"]]


def send(mailing, actor, **kwargs):
    services.send(mailing, actor=actor, **kwargs)
    db.session.commit()


def test_an_update_reaches_exactly_the_confirmed_signatories_who_asked_for_updates(app, deliver):
    s = signatories(3)
    mailing = update(s.p)

    send(mailing, s.p.council_editor)
    received = updates(deliver())

    assert sorted(r.recipients[0] for r in received) == sorted(s.expected)
    assert len(received) == 3
    db.session.refresh(mailing)
    assert mailing.recipient_count == 3


def test_each_recipient_sees_their_own_name_and_organisation_in_both_parts(app, deliver):
    s = signatories(2)
    send(update(s.p), s.p.council_editor)
    received = {r.recipients[0]: r for r in updates(deliver())}

    first = received["signer1@example.org"]
    assert first.subject == "News for Signing Trust 1"
    assert "Dear Signer 1," in first.text
    assert "**Signing Trust 1**" in first.text
    assert "<strong>Signing Trust 1</strong>" in first.html
    assert "Signer 2" not in first.text
    assert "((name))" not in first.text and "((name))" not in first.html


def test_every_update_carries_one_click_unsubscribe_headers_raw_on_the_wire(app, deliver):
    s = signatories(2)
    send(update(s.p), s.p.council_editor)
    received = updates(deliver())

    links = set()
    for message in received:
        check_message(message.raw, update=True)
        link, mailto = unsubscribe_link(message.raw)
        assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in message.raw
        assert "=?" not in header(message.raw, "List-Unsubscribe")
        assert mailto is None, "no mailto: unless an address for it is configured"
        assert link in message.text
        links.add(link)
    assert len(links) == 2


def test_with_https_and_an_unsubscribe_address_the_header_has_both_and_is_folded_only_at_the_comma(
    app, deliver, monkeypatch
):
    monkeypatch.setitem(app.config, "CAMPAIGNS_BASE_URL", "https://updates.northshire-council.example.gov.uk")
    monkeypatch.setitem(app.config, "CAMPAIGNS_UNSUBSCRIBE_MAILTO", "unsubscribe@lists.example.org")
    s = signatories(1)
    send(update(s.p), s.p.council_editor)
    [message] = updates(deliver())

    check_message(message.raw, update=True)
    link, mailto = unsubscribe_link(message.raw)
    assert link.startswith("https://updates.northshire-council.example.gov.uk/updates/unsubscribe/")
    token = link.rpartition("/")[2]
    assert mailto == f"mailto:unsubscribe@lists.example.org?subject=unsubscribe%20{token}"
    raw_header = message.raw.split(b"\r\nList-Unsubscribe: ", 1)[1].split(b"\r\nList-Unsubscribe-Post:")[0]
    assert raw_header == f"<{link}>,\r\n <{mailto}>".encode()


def test_a_suppressed_address_is_skipped_and_addresses_are_not_duplicated(app, deliver):
    s = signatories(3)
    db.session.add(Suppression(email="signer2@example.org", statement_id=None, reason=SuppressionReason.BOUNCED))
    other = signatory(s.p, 4, signer_email="SIGNER1@example.org")  # the same person signs for a second organisation
    db.session.commit()

    send(update(s.p), s.p.council_editor)
    received = updates(deliver())

    addresses = sorted(r.recipients[0].lower() for r in received)
    assert addresses == ["signer1@example.org", "signer3@example.org"]
    assert other.signer_email == "SIGNER1@example.org"


def test_a_filtered_audience_gets_only_organisations_of_that_kind_and_region(app, deliver):
    s = signatories(1)
    signatory(s.p, 5, kind=OrganisationKind.COUNCIL, region="london", signer_email="council@example.org")
    signatory(s.p, 6, kind=OrganisationKind.COUNCIL, region="north_east", signer_email="north@example.org")
    mailing = update(s.p, audience=Audience.FILTERED, kind=OrganisationKind.COUNCIL, region="london")

    send(mailing, s.p.council_editor)

    assert [r.recipients[0] for r in updates(deliver())] == ["council@example.org"]


def test_a_co_authors_only_update_goes_to_the_author_organisations_people(app, deliver):
    s = signatories(2)
    send(update(s.p, audience=Audience.CO_AUTHORS), s.p.council_editor)
    addresses = {r.recipients[0] for r in updates(deliver())}
    assert s.p.council_editor.email in addresses and s.p.charity_signatory.email in addresses
    assert s.p.reviewer_member.email not in addresses
    assert not addresses & s.expected


def test_with_two_author_organisations_an_update_needs_the_others_approval(app):
    s = signatories(1)
    mailing = update(s.p, approved=False)

    with pytest.raises(WrongStatus):
        services.send(mailing, actor=s.p.council_editor)
    services.request_approval(mailing, actor=s.p.council_editor)
    with pytest.raises(PermissionDenied):
        services.approve(mailing, actor=s.p.council_signatory)  # the sender's own organisation
    with pytest.raises(PermissionDenied):
        services.approve(mailing, actor=s.p.charity_editor)  # an editor, not a signatory or admin
    services.approve(mailing, actor=s.p.charity_signatory)
    services.send(mailing, actor=s.p.council_editor)
    db.session.commit()
    assert mailing.status == MailingStatus.SENDING
    assert mailing.approved_by_id == s.p.charity_signatory.id


def test_the_owners_can_switch_approval_off(app):
    s = signatories(1)
    services.set_approval_required(s.p.statement, False, actor=s.p.council_editor)
    mailing = update(s.p, approved=False)
    send(mailing, s.p.council_editor)
    assert mailing.status == MailingStatus.SENDING


def test_only_lead_editors_switch_approval_off(app):
    s = signatories(1)
    with pytest.raises(PermissionDenied):
        services.set_approval_required(s.p.statement, False, actor=s.p.charity_editor)


def test_changing_an_approved_update_needs_approval_again(app):
    s = signatories(1)
    mailing = update(s.p)
    services.edit(mailing, UpdateDraft("New subject", "New text"), actor=s.p.council_editor)
    assert mailing.status == MailingStatus.DRAFT and mailing.approved_by_id is None
    with pytest.raises(WrongStatus):
        services.send(mailing, actor=s.p.council_editor)


@pytest.mark.parametrize(("subject", "body"), [("", "Some text"), ("A subject", "   "), ("x" * 201, "Some text")])
def test_an_empty_or_overlong_update_is_refused(app, subject, body):
    s = signatories(1)
    with pytest.raises(UpdateRefused):
        services.compose(s.p.statement, UpdateDraft(subject, body), actor=s.p.council_editor)


def test_an_audience_of_nobody_and_a_time_in_the_past_are_refused(app):
    s = signatories(1)
    empty = update(s.p, audience=Audience.FILTERED, region="london")
    with pytest.raises(UpdateRefused, match="Nobody"):
        services.send(empty, actor=s.p.council_editor)
    mailing = update(s.p)
    with pytest.raises(UpdateRefused, match="future"):
        services.send(mailing, actor=s.p.council_editor, at=utcnow() - timedelta(minutes=1))
    queued = sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.mailing_id.is_not(None))
    assert db.session.scalar(queued) == 0


def test_someone_not_co_authoring_cannot_write_an_update(app):
    s = signatories(1)
    with pytest.raises(PermissionDenied):
        services.compose(s.p.statement, UpdateDraft("Hi", "Text"), actor=s.p.reviewer_member)


def test_a_scheduled_update_starts_when_its_time_comes(app, deliver):
    s = signatories(2)
    mailing = update(s.p)
    at = utcnow() + timedelta(hours=1)
    send(mailing, s.p.council_editor, at=at)
    assert updates(deliver()) == []
    assert mailing.status == MailingStatus.SCHEDULED

    services.start_due(at + timedelta(seconds=1))
    db.session.commit()

    assert {r.recipients[0] for r in updates(deliver())} == s.expected


def test_cancelling_an_update_cancels_its_unsent_messages(app, deliver):
    s = signatories(3)
    mailing = update(s.p)
    send(mailing, s.p.council_editor)

    cancelled = services.cancel(mailing, actor=s.p.council_editor)
    db.session.commit()

    assert cancelled == 3
    assert updates(deliver()) == []
    assert progress_of(mailing).cancelled == 3
    assert mailing.status == MailingStatus.CANCELLED


def test_progress_counts_match_the_database(app, deliver):
    s = signatories(3)
    signatory(s.p, 7, signer_email="bounce7@example.org")
    mailing = update(s.p)
    send(mailing, s.p.council_editor)
    before = progress_of(mailing)
    assert (before.queued, before.sent, before.failed, before.total) == (4, 0, 0, 4)

    deliver()

    after = progress_of(mailing)
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count())
        .where(OutboxMessage.mailing_id == mailing.id)
        .group_by(OutboxMessage.status)
    ).all()
    assert dict(rows) == {OutboxStatus.SENT: 3, OutboxStatus.FAILED: 1}
    assert (after.queued, after.sent, after.failed, after.percent) == (0, 3, 1, 100)


def test_a_permanent_failure_suppresses_the_address_for_later_updates_only(app, deliver):
    s = signatories(1)
    signatory(s.p, 8, signer_email="bounce8@example.org")
    send(update(s.p), s.p.council_editor)
    deliver()

    suppression = db.session.scalar(sa.select(Suppression).where(Suppression.email == "bounce8@example.org"))
    assert suppression.reason == SuppressionReason.BOUNCED and suppression.statement_id is None
    later = update(s.p, subject="Second")
    send(later, s.p.council_editor)
    assert later.recipient_count == 1


def test_a_sent_update_is_marked_sent_once_the_worker_has_finished(app, deliver):
    s = signatories(2)
    mailing = update(s.p)
    send(mailing, s.p.council_editor)
    deliver()
    services.finish_done(utcnow())
    db.session.commit()
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.SENT


def test_a_test_goes_only_to_the_writer(app, deliver):
    s = signatories(2)
    mailing = update(s.p, approved=False)
    services.send_test(mailing, actor=s.p.council_editor)
    db.session.commit()
    received = [r for r in deliver() if r.subject.startswith("Test:")]
    assert [r.recipients[0] for r in received] == [s.p.council_editor.email]
    assert received[0].subject.startswith("Test: News for")
    assert "Dear Carla Council," in received[0].text


def test_a_refusal_of_the_message_rather_than_the_address_suppresses_nobody(app):
    s = signatories(1)
    mailing = update(s.p)
    envelope = Envelope(1, "signer1@example.org", "S", "T", None, {}, "<x@y>", utcnow(), 0, mailing.id)
    suppress_if_address_refused(envelope, error=DeliveryError("500 Line too long", permanent=True, code=500))
    suppress_if_address_refused(envelope, error=DeliveryError("550 5.7.1 Refused as spam", permanent=True, code=550))
    assert not unsubscribing.is_suppressed("signer1@example.org", None)
    suppress_if_address_refused(envelope, error=DeliveryError("550 5.1.1 No such user here", permanent=True, code=550))
    assert unsubscribing.is_suppressed("signer1@example.org", None)


def test_the_worker_keeps_to_its_send_rate(app, deliver, monkeypatch):
    s = signatories(5)
    deliver()  # the signatures' own confirmations first
    send(update(s.p), s.p.council_editor)
    monkeypatch.setitem(app.config, "CAMPAIGNS_MAIL_RATE", 20.0)

    started = time.monotonic()
    received = updates(deliver())

    assert len(received) == 5
    assert time.monotonic() - started >= 4 / 20  # five messages, evenly spaced at 20 a second
