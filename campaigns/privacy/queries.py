"""Reading what the privacy pages need."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from campaigns.accounts.models import User
from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.mailings.models import Suppression
from campaigns.organisations.models import Invitation, Membership, Organisation, Role
from campaigns.outbox.models import OutboxMessage
from campaigns.privacy import retention
from campaigns.privacy.models import DataExport
from campaigns.signatures.models import Signature, SignatureContact, SignatureSettings
from campaigns.statements.models import Amendment, Approval, Comment, Revision, Stage, Statement


def organisations_only_they_administer(user: User, *, lock: bool = False) -> list[Organisation]:
    """The organisations of which this person is the only admin, by name (`lock`: hold them until commit)."""
    others = aliased(Membership)
    another_admin = (
        sa.select(others.id)
        .where(
            others.organisation_id == Membership.organisation_id, others.role == Role.ADMIN, others.user_id != user.id
        )
        .exists()
    )
    query = (
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.role == Role.ADMIN, ~another_admin)
        .order_by(Organisation.name, Organisation.id)
    )
    if lock:
        query = query.with_for_update(of=Organisation)
    return list(db.session.scalars(query))


def account_by_email(email: str) -> User | None:
    """The account (not a deleted one) with this address, or None."""
    return db.session.scalar(sa.select(User).where(User.email == email, User.deleted_at.is_(None)))


def longest_standing_member(organisation: Organisation) -> Membership | None:
    """The organisation's member who joined first, or None if it has none."""
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.organisation_id == organisation.id)
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )


@dataclass(frozen=True)
class ClosedStatement:
    """A closed statement, when its signers' contact details go, and how many signers' details are still held."""

    slug: str
    title: str
    closed_at: datetime
    months: int
    erase_on: datetime
    held: int


def retention_schedule() -> list[ClosedStatement]:
    """Every closed statement, oldest closed first, with its erasure date and the signers whose details it holds."""
    held = (
        sa.select(Signature.statement_id, sa.func.count().label("held"))
        .where(Signature.contact_erased_at.is_(None), Signature.signer_email != "")
        .group_by(Signature.statement_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Statement, SignatureSettings, Revision.title, sa.func.coalesce(held.c.held, 0))
        .outerjoin(SignatureSettings, SignatureSettings.statement_id == Statement.id)
        .outerjoin(Revision, Revision.id == Statement.agreed_revision_id)
        .outerjoin(held, held.c.statement_id == Statement.id)
        .where(Statement.stage == Stage.CLOSED, Statement.closed_at.is_not(None))
        .order_by(Statement.closed_at, Statement.id)
    ).all()
    schedule = []
    for statement, settings, title, count in rows:
        erase_on = retention.erase_after(statement, settings)
        assert statement.closed_at is not None and erase_on is not None
        schedule.append(
            ClosedStatement(
                statement.slug,
                title or statement.slug,
                statement.closed_at,
                retention.months_kept(settings),
                erase_on,
                count,
            )
        )
    return schedule


# What a person's data download holds: each section a list of plain JSON-ready dicts, oldest first.

Row = dict[str, Any]


def _rows(query: sa.Select[*tuple[Any, ...]]) -> list[Row]:
    return [{key: _plain(value) for key, value in row.items()} for row in db.session.execute(query).mappings()]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def account_section(user: User) -> Row:
    """The account's own details (never its password or session key)."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "email_confirmed_at": _plain(user.email_verified_at),
        "created_at": _plain(user.created_at),
        "password_changed_at": _plain(user.password_changed_at),
        "last_signed_in_at": _plain(user.last_signed_in_at),
        "platform_admin": user.is_platform_admin,
    }


def memberships_section(user: User) -> list[Row]:
    """The organisations the person belongs to and their role in each."""
    return _rows(
        sa.select(Organisation.name.label("organisation"), Membership.role, Membership.created_at.label("since"))
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.created_at, Membership.id)
    )


def signatures_section(user: User | None, email: str) -> list[Row]:
    """Every signature the person made for an organisation: what they gave, the choices, the text they agreed."""
    theirs = sa.func.lower(Signature.signer_email) == email
    if user is not None:
        theirs = sa.or_(theirs, Signature.signer_id == user.id)
    rows = _rows(
        sa.select(
            Signature.id,
            Statement.slug.label("statement"),
            Revision.title.label("statement_title"),
            Revision.number.label("text_version_agreed"),
            Organisation.name.label("organisation"),
            Signature.status,
            Signature.signer_name,
            Signature.signer_role,
            Signature.signer_email,
            Signature.comment,
            Signature.list_publicly,
            Signature.wants_updates,
            Signature.consent_text,
            Signature.consent_version,
            Signature.consented_at,
            Signature.created_at,
            Signature.confirmed_at,
            Signature.withdrawn_at,
            Signature.withdrawal_reason,
        )
        .join(Statement, Statement.id == Signature.statement_id)
        .join(Revision, Revision.id == Signature.revision_id)
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .where(theirs)
        .order_by(Signature.created_at, Signature.id)
    )
    contacts: dict[int, list[str]] = {}
    for signature_id, name in db.session.execute(
        sa.select(SignatureContact.signature_id, Organisation.name)
        .join(Organisation, Organisation.id == SignatureContact.organisation_id)
        .where(SignatureContact.signature_id.in_([row["id"] for row in rows]))
        .order_by(Organisation.name)
    ):
        contacts.setdefault(signature_id, []).append(name)
    for row in rows:
        row["organisations_that_may_contact_you"] = contacts.pop(row.pop("id"), [])
    return rows


def comments_section(user: User) -> list[Row]:
    """The comments the person wrote."""
    return _rows(
        sa.select(Statement.slug.label("statement"), Comment.body, Comment.quoted, Comment.created_at)
        .join(Statement, Statement.id == Comment.statement_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    )


def amendments_section(user: User) -> list[Row]:
    """The amendments the person proposed."""
    return _rows(
        sa.select(
            Statement.slug.label("statement"),
            Amendment.number,
            Amendment.title,
            Amendment.rationale,
            Amendment.status,
            Amendment.created_at,
        )
        .join(Statement, Statement.id == Amendment.statement_id)
        .where(Amendment.proposer_id == user.id)
        .order_by(Amendment.created_at, Amendment.id)
    )


def revisions_section(user: User) -> list[Row]:
    """The revisions the person wrote."""
    return _rows(
        sa.select(
            Statement.slug.label("statement"),
            Revision.number,
            Revision.title,
            Revision.change_note,
            Revision.created_at,
        )
        .join(Statement, Statement.id == Revision.statement_id)
        .where(Revision.author_id == user.id)
        .order_by(Revision.created_at, Revision.id)
    )


def sign_offs_section(user: User) -> list[Row]:
    """The approvals and requests for changes the person gave for an organisation."""
    return _rows(
        sa.select(
            Statement.slug.label("statement"),
            Organisation.name.label("organisation"),
            Approval.decision,
            Approval.comment,
            Approval.decided_at,
        )
        .join(Statement, Statement.id == Approval.statement_id)
        .join(Organisation, Organisation.id == Approval.organisation_id)
        .where(Approval.decided_by_id == user.id)
        .order_by(Approval.decided_at, Approval.id)
    )


def emails_section(email: str) -> list[Row]:
    """The email sent (or to be sent) to the address: subject, when, and what became of it."""
    return _rows(
        sa.select(
            OutboxMessage.subject,
            OutboxMessage.created_at.label("queued_at"),
            OutboxMessage.sent_at,
            OutboxMessage.status,
        )
        .where(sa.func.lower(OutboxMessage.recipient) == email)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )


def suppressions_section(email: str) -> list[Row]:
    """The updates the address gets no more of, and why."""
    return _rows(
        sa.select(Statement.slug.label("statement"), Suppression.reason, Suppression.created_at)
        .outerjoin(Statement, Statement.id == Suppression.statement_id)
        .where(Suppression.email == email)
        .order_by(Suppression.created_at, Suppression.id)
    )


def invitations_section(email: str) -> list[Row]:
    """The invitations to join an organisation sent to the address."""
    return _rows(
        sa.select(Organisation.name.label("organisation"), Invitation.role, Invitation.status, Invitation.created_at)
        .join(Organisation, Organisation.id == Invitation.organisation_id)
        .where(Invitation.email == email)
        .order_by(Invitation.created_at, Invitation.id)
    )


def audit_section(user: User) -> list[Row]:
    """The activity log's entries of what the person did, and of what was done to their account."""
    about = sa.or_(
        AuditEvent.actor_id == user.id,
        sa.and_(AuditEvent.object_type == User.__tablename__, AuditEvent.object_id == user.id),
    )
    return _rows(
        sa.select(
            AuditEvent.created_at,
            AuditEvent.action,
            Organisation.name.label("organisation"),
            AuditEvent.detail,
        )
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(about)
        .order_by(AuditEvent.id)
    )


def export_by_id(export_id: int) -> DataExport | None:
    """The data download with this id, or None."""
    return db.session.get(DataExport, export_id)


def exports_of(user: User) -> list[DataExport]:
    """The person's data downloads, newest first."""
    return list(
        db.session.scalars(
            sa.select(DataExport).where(DataExport.user_id == user.id).order_by(DataExport.id.desc()).limit(10)
        )
    )


def expired_exports(now: datetime) -> list[DataExport]:
    """Downloads whose time has run out (or whose person deleted their account), with their files still to remove."""
    ran_out = sa.and_(DataExport.expired_at.is_(None), DataExport.expires_at < now)
    erased = sa.and_(DataExport.expired_at.is_not(None), DataExport.stored_name.is_not(None))
    return list(db.session.scalars(sa.select(DataExport).where(sa.or_(ran_out, erased))))
