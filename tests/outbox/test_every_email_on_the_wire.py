"""Every kind of email the project sends, read in the raw bytes the SMTP server received and checked strictly.

Each template in templates/emails is one kind. The world below makes every one of them through the code that
sends it in the product; a template added without a way here to send it fails the first test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from campaigns.accounts import emails as account_emails
from campaigns.consultations.reminders import send_reminders
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.jobs.services import queue_job
from campaigns.mailings import services as mailing_services
from campaigns.organisations import emails as organisation_emails
from campaigns.organisations.models import Role
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.outbox.transport import FileTransport
from campaigns.outbox.worker import Worker
from campaigns.privacy import emails as privacy_emails
from campaigns.privacy.models import DataExport
from campaigns.signatures import emails as signature_emails
from campaigns.signatures import export_jobs
from campaigns.signatures import services as signature_services
from campaigns.statements import amendments, discussion, signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Decision
from campaigns.submissions import emails as submission_emails
from campaigns.submissions.models import ReminderKind
from campaigns.webhooks import services as webhook_services
from campaigns.webhooks.models import WebhookEvent
from campaigns.webhooks.services import EndpointDetails
from tests.consultations.builders import response_partnership
from tests.factories import add_member, make_invitation, make_organisation, make_user
from tests.mailings.builders import signatories, update
from tests.outbox.helpers import run_worker
from tests.statements.builders import TEXT, partnership
from tests.submissions.builders import AGREED_AT
from tests.submissions.builders import send as record_submission
from tests.support.wire import NotOnTheWire, check_message

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"


def kinds_on_disk() -> set[str]:
    return {path.stem for path in TEMPLATES.glob("*.txt") if not path.name.startswith("_")}


def account_emails_of_every_kind() -> None:
    # A name with accents: its encoded-words must be valid wherever it appears.
    user = make_user(email="zoe@example.org", name="Zoë Brontë")
    account_emails.send_verification(user)
    account_emails.send_confirm_and_choose_password(user, "a-token")
    account_emails.send_registration_attempt(user)
    account_emails.send_password_reset(user, "a-token")
    account_emails.send_password_changed(user)
    account_emails.send_email_change_confirmation(user, "zoe.new@example.org", "a-token")
    account_emails.send_email_change_unavailable(user, "taken@example.org")
    account_emails.send_email_change_requested(user, "zoe.new@example.org")
    account_emails.send_email_changed(user, "zoe.old@example.org")
    export = DataExport(user_id=user.id, email=user.email, status=OutboxStatus.SENT, expires_at=utcnow())
    db.session.add(export)
    db.session.flush()
    privacy_emails.send_export_ready(export, user.email)


def organisation_emails_of_every_kind() -> None:
    admin = make_user(name="Ada Admin")
    organisation = make_organisation("Café Ünion, Northshire", admin=admin)
    invitation = make_invitation(organisation, invited_by=admin)
    organisation_emails.send_invitation(invitation, admin)
    organisation_emails.send_invitation_answered(invitation, [admin], accepted=True)
    member = add_member(organisation, make_user(name="Mo Member"), Role.MEMBER).user
    organisation_emails.send_role_changed(member, organisation, Role.EDITOR)
    organisation_emails.send_removed(member, organisation)
    organisation_emails.send_verified([admin], organisation)
    hook = EndpointDetails("https://crm.example.org/hooks/common-ground?site=café", frozenset(WebhookEvent))
    endpoint = webhook_services.register_endpoint(organisation, hook, actor=admin)
    webhook_services.disable_failing(endpoint, since=datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


def statement_emails_of_every_kind() -> None:
    """Inviting, answering, proposing, asking for changes, agreeing; amendments and comments: by the services."""
    p = partnership()  # invitations to take part, and their answers
    statement = p.statement
    comment = discussion.add_comment(statement, "Should we name the minister?", actor=p.charity_editor)
    discussion.reply(statement, comment, "Yes, in the second paragraph.", actor=p.council_editor)
    text = StatementText(TEXT.title, TEXT.summary, TEXT.body + "\n\nAnd we mean it.", TEXT.asks)
    amendment = amendments.propose(
        statement, text, "Stronger ending.", based_on=statement.current_revision, actor=p.charity_editor
    )
    amendments.reject(statement, amendment, "Too strong for now.", actor=p.council_editor)
    signoff.propose(statement, actor=p.council_editor)
    signoff.decide(statement, Decision.CHANGES_REQUESTED, actor=p.charity_signatory, comment="Cite the figures.")
    signoff.decide(statement, Decision.APPROVED, actor=p.council_signatory)
    signoff.decide(statement, Decision.APPROVED, actor=p.charity_signatory)  # agreed
    db.session.commit()


def signature_and_update_emails_of_every_kind() -> None:
    with clock_at(AGREED_AT):  # agreed before the date the submission below says it was sent
        s = signatories(2)  # confirmations and receipts on the way
    p = s.p
    signature = s.wanting[0]
    signature_emails.send_withdrawal_link(signature)
    signature_emails.send_attempt_noted(signature, attempted_by="Someone Else")
    signature_emails.send_signed_on_your_behalf([p.charity_admin], s.wanting[1])
    signature_services.hide(signature, actor=p.council_editor, reason="Duplicate entry")
    agreed = p.statement.agreed_revision
    signature_emails.send_reconfirm(s.wanting[1], signed=agreed, agreed=agreed)
    [submission] = record_submission(p)
    submission_emails.send_reminder(p.council_editor, submission, ReminderKind.OVERDUE, today=date(2026, 12, 1))
    mailing = update(p, approved=False, subject="News for ((organisation)) – ‘our reply’")
    mailing_services.send_test(mailing, actor=p.council_editor)
    mailing_services.request_approval(mailing, actor=p.council_editor)
    mailing_services.send_back(mailing, "Say “thank you” first.\nThen the news.", actor=p.charity_signatory)
    mailing_services.request_approval(mailing, actor=p.council_editor)
    mailing_services.approve(mailing, actor=p.charity_signatory)
    mailing_services.send(mailing, actor=p.council_editor)
    job = queue_job(export_jobs.KIND, actor=p.council_editor, subject_id=p.statement.id, total=2, filename="x.csv")
    job.progress, job.expires_at = 2, utcnow() + timedelta(hours=24)
    export_jobs.email_ready(job)  # the worker built a very large list
    db.session.commit()


def consultation_emails_of_every_kind() -> None:
    # A response to a consultation closing Thursday 1 April 2027, 5pm UK time: 16 March is 10 working days before.
    response_partnership(closes_at=datetime(2027, 4, 1, 16, 0, tzinfo=UTC))
    run = send_reminders(date(2027, 3, 16), datetime(2027, 3, 16, 8, 0, tzinfo=UTC))
    assert run.sent, "the reminder the wire test needs was sent"
    db.session.commit()


def test_every_email_of_every_kind_passes_the_strict_checks_on_the_wire(app, deliver):
    account_emails_of_every_kind()
    organisation_emails_of_every_kind()
    statement_emails_of_every_kind()
    signature_and_update_emails_of_every_kind()
    consultation_emails_of_every_kind()
    db.session.commit()
    kinds = dict(db.session.execute(sa.select(OutboxMessage.message_id, OutboxMessage.template)).all())

    received = deliver()

    problems, seen = [], set()
    for message in received:
        kind = kinds.get(str(message.message["Message-ID"]))
        seen.add(kind)
        try:
            check_message(message.raw, update=kind == "mailing_update")
        except NotOnTheWire as problem:
            problems.append(f"{kind} to {message.recipients[0]}: {problem}")
    assert problems == []
    assert len(received) == len(kinds), "every queued email was delivered"
    missing = kinds_on_disk() - seen
    assert not missing, f"No test here sends these kinds of email; add them to the world above: {sorted(missing)}"


def test_the_eml_files_written_without_a_mail_server_pass_the_same_checks(app, tmp_path):
    s = signatories(1)
    mailing_services.send(update(s.p), actor=s.p.council_editor)
    db.session.commit()
    outbox = tmp_path / "outbox"

    run_worker(Worker(app, transport_factory=lambda: FileTransport(str(outbox))), once=True)

    files = {path: path.read_bytes() for path in outbox.glob("*.eml")}
    assert len(files) == len(db.session.scalars(sa.select(OutboxMessage)).all())
    updates = [raw for raw in files.values() if b"\r\nList-Unsubscribe:" in raw]
    assert len(updates) == 1
    for raw in files.values():
        assert raw.startswith(b"Return-Path: <")
        check_message(raw, update=raw in updates)
