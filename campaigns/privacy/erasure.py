"""Erasing a person from everything Common Ground holds, when they delete their account.

What they did for an organisation stays true without them: revisions, sign-offs, comments, amendments and
signatures keep pointing at the account, whose name is now "a former member" and whose address is a
meaningless one; the organisation's signature, the statement's counts and the frozen lists sent to government
keep every row. What is erased is the person: their name and address wherever they were copied (signatures,
frozen lists, invitations, the outbox and its reports, suppressions), and from the details of the audit log
(its entries keep their action, organisation and time). Email still waiting to be sent to them is cancelled.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.passwords import hash_password
from campaigns.audit.models import AuditEvent
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.mailings.models import Suppression, SuppressionReason
from campaigns.organisations.models import Invitation, InvitationStatus, Membership, Organisation
from campaigns.outbox.models import DeliveryAttempt, DeliveryReport, OutboxMessage, OutboxStatus
from campaigns.privacy.models import DataExport
from campaigns.signatures.models import Signature
from campaigns.submissions.models import Response, Submission, SubmissionSignatory

#: Who a deleted account's person is, everywhere they are shown.
FORMER_MEMBER = "a former member"
#: What an erased address reads as in the audit log and in other people's email.
ERASED_ADDRESS = "an erased address"
#: The body of an email to a deleted account, kept only as a record that it was sent.
ERASED_BODY = "(Erased: the recipient deleted their account.)"


def erased_address() -> str:
    """A new address that names nobody, unique, in a domain that can never receive mail (RFC 6761)."""
    return f"erased-{secrets.token_hex(8)}@erased.invalid"


def erase(user: User, *, actor: User, suppress: bool) -> list[Organisation]:
    """Erase the person behind `user`; returns the organisations whose membership ended (flushes, never commits)."""
    names, emails = former_names_and_addresses(user)
    placeholder = erased_address()
    organisations = _end_memberships(user, actor=actor)
    _erase_signatures(user, emails, placeholder)
    _erase_exports(user, emails)
    for email in emails:
        _erase_invitations(email, placeholder)
        db.session.execute(
            sa.update(Organisation).where(sa.func.lower(Organisation.contact_email) == email).values(contact_email=None)
        )
        _erase_suppressions(email, placeholder, suppress and email == user.email)
    for name in names:
        _erase_submissions(name)
    for name in names:
        for email in emails:
            _erase_outbox(name, email, placeholder)
            _erase_audit_details(user, name, email)
    user.name = FORMER_MEMBER
    user.email = placeholder
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.is_platform_admin = False
    user.deleted_at = utcnow()
    user.rotate_session_key()  # every session of the account ends
    db.session.flush()
    return organisations


def former_names_and_addresses(user: User) -> tuple[list[str], list[str]]:
    """Every name and address the account has had (its audit entries keep its changes), current ones first."""
    names, emails = [user.name], [user.email]
    changes = db.session.scalars(
        sa.select(AuditEvent.detail).where(
            AuditEvent.object_type == User.__tablename__,
            AuditEvent.object_id == user.id,
            AuditEvent.action.in_(["account.name_changed", "account.email_changed"]),
        )
    )
    for detail in changes:
        for key in ("old", "new"):
            value = detail.get(key)
            if isinstance(value, str) and value.strip():
                (emails if "@" in value else names).append(value.strip() if "@" not in value else value.lower())
    return list(dict.fromkeys(names)), list(dict.fromkeys(emails))


def _end_memberships(user: User, *, actor: User) -> list[Organisation]:
    memberships = list(
        db.session.scalars(sa.select(Membership).where(Membership.user_id == user.id).order_by(Membership.id))
    )
    organisations = [membership.organisation for membership in memberships]
    for membership in memberships:
        record(
            "organisation.member_account_deleted",
            membership.organisation,
            organisation=membership.organisation,
            role=str(membership.role),
            actor=actor,
        )
        db.session.delete(membership)
    return organisations


def _erase_signatures(user: User, emails: list[str], placeholder: str) -> None:
    theirs = sa.or_(Signature.signer_id == user.id, sa.func.lower(Signature.signer_email).in_(emails))
    signed = db.session.execute(
        sa.select(Signature.statement_id, Signature.organisation_id, Signature.signer_name).where(theirs)
    ).all()
    # The lists frozen when the statement was sent keep every organisation, with "a former member" as its signer.
    for statement_id, organisation_id, signer_name in signed:
        db.session.execute(
            sa.update(SubmissionSignatory)
            .where(
                SubmissionSignatory.submission_id.in_(
                    sa.select(Submission.id).where(Submission.statement_id == statement_id)
                ),
                SubmissionSignatory.organisation_id == organisation_id,
                SubmissionSignatory.signer_name == signer_name,
            )
            .values(signer_name=FORMER_MEMBER)
        )
    db.session.execute(
        sa.update(Signature)
        .where(theirs)
        .values(signer_name=FORMER_MEMBER, signer_email=placeholder, wants_updates=False)
        .execution_options(synchronize_session=False)
    )


def _erase_exports(user: User, emails: list[str]) -> None:
    """Their downloads expire now: the worker deletes the files after this commits (not before: a rollback would
    leave rows naming files already gone)."""
    db.session.execute(
        sa.update(DataExport)
        .where(sa.or_(DataExport.user_id == user.id, DataExport.email.in_(emails)))
        .values(expired_at=utcnow(), email="")
    )


def _erase_invitations(email: str, placeholder: str) -> None:
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.email == email, Invitation.status == InvitationStatus.PENDING)
        .values(status=InvitationStatus.REVOKED)
    )
    db.session.execute(sa.update(Invitation).where(Invitation.email == email).values(email=placeholder))


def _erase_submissions(name: str) -> None:
    db.session.execute(sa.update(Submission).where(Submission.sent_by == name).values(sent_by=FORMER_MEMBER))
    db.session.execute(sa.update(Response).where(Response.from_whom == name).values(from_whom=FORMER_MEMBER))


def _erase_outbox(name: str, email: str, placeholder: str) -> None:
    to_them = sa.func.lower(OutboxMessage.recipient) == email
    db.session.execute(
        sa.update(OutboxMessage)
        .where(to_them, OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.CANCELLED, updated_at=utcnow())
    )
    for message in list(db.session.scalars(sa.select(OutboxMessage).where(to_them))):
        message.recipient = placeholder
        message.subject = _scrub_text(message.subject, name, email)
        message.text_body = ERASED_BODY
        message.html_body = None
    # Other people's email that named them (an invitation they sent, a role they were given).
    mentions = sa.or_(
        *(
            column.contains(needle, autoescape=True)
            for column in (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body)
            for needle in {name, html.escape(name), email}
        )
    )
    for message in list(db.session.scalars(sa.select(OutboxMessage).where(mentions))):
        message.subject = _scrub_text(message.subject, name, email)
        message.text_body = _scrub_text(message.text_body, name, email)
        if message.html_body is not None:
            message.html_body = _scrub_text(message.html_body, name, email, escaped=True)
    for report in db.session.scalars(
        sa.select(DeliveryReport).where(
            sa.or_(sa.func.lower(DeliveryReport.recipient) == email, DeliveryReport.diagnostic.contains(email))
        )
    ):
        report.recipient = placeholder
        report.diagnostic = _scrub_text(report.diagnostic, name, email) if report.diagnostic else report.diagnostic
    for attempt in db.session.scalars(sa.select(DeliveryAttempt).where(DeliveryAttempt.error.contains(email))):
        attempt.error = _scrub_text(attempt.error or "", name, email)


def _erase_suppressions(email: str, placeholder: str, suppress: bool) -> None:
    everything = db.session.scalar(
        sa.select(Suppression).where(Suppression.email == email, Suppression.statement_id.is_(None))
    )
    keep = everything.id if (suppress and everything is not None) else -1
    # Each row stays (an update's "unsubscribes that followed" counts them), naming nobody.
    db.session.execute(
        sa.update(Suppression).where(Suppression.email == email, Suppression.id != keep).values(email=placeholder)
    )
    if suppress and everything is None:
        db.session.add(Suppression(email=email, statement_id=None, reason=SuppressionReason.UNSUBSCRIBED))


def _erase_audit_details(user: User, name: str, email: str) -> None:
    """Erase their name and address from the details of every audit entry; each entry's action stays."""
    detail = sa.cast(AuditEvent.detail, sa.Text)
    needles = {name, email, json.dumps(name)[1:-1], json.dumps(email)[1:-1]}
    about_them = sa.or_(
        AuditEvent.actor_id == user.id,
        sa.and_(AuditEvent.object_type == User.__tablename__, AuditEvent.object_id == user.id),
        *(detail.contains(needle, autoescape=True) for needle in needles),
    )
    for event in list(db.session.scalars(sa.select(AuditEvent).where(about_them))):
        scrubbed = _scrub_json(event.detail, name, email)
        if scrubbed != event.detail:
            event.detail = scrubbed


def _scrub_json(value: Any, name: str, email: str) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, name, email)
    if isinstance(value, list):
        return [_scrub_json(item, name, email) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, name, email) for key, item in value.items()}
    return value


def _scrub_text(text: str, name: str, email: str, *, escaped: bool = False) -> str:
    """`text` with the address (in any case) and the name (as a whole name, not inside a longer word) replaced."""
    text = re.sub(re.escape(email), ERASED_ADDRESS, text, flags=re.IGNORECASE)
    for form in {name, html.escape(name)} if escaped else {name}:
        if form.strip():
            text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", FORMER_MEMBER, text)
    return text
