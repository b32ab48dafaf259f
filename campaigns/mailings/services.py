"""Email updates: compose, approve, send or schedule, cancel, publish; unsubscribes and bounces.

Sending writes one outbox row per recipient in one bulk insert, in the caller's transaction; the mail
worker delivers them. Nobody who withdrew, was hidden, did not opt in or is suppressed gets a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import rows_changed, utcnow
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.mailings import audience, emails, events
from campaigns.mailings.emails import Recipient
from campaigns.mailings.models import (
    EDITABLE,
    Audience,
    Mailing,
    MailingSettings,
    MailingStatus,
)
from campaigns.organisations.models import REGIONS, Membership, Organisation, OrganisationKind
from campaigns.outbox.models import OutboxMessage, OutboxStatus
from campaigns.outbox.services import queue_email
from campaigns.statements import queries as statement_queries
from campaigns.statements.models import Statement
from campaigns.statements.permissions import (
    SIGNATORIES,
    Action,
    acting_organisation,
    can,
    organisations_for,
    require_visible,
)
from campaigns.urls import external_url

SUBJECT_MAX = 200
REASON_MAX = 2_000
BODY_MAX = 20_000
NARROWED_WITHOUT_FILTER = (
    "You chose a kind of organisation or a region, but not “by kind of organisation and region”. "
    "Choose that to send to those signatories only, or set kind and region back to “Any”."
)


class UpdateRefused(DomainError):
    """The update as written cannot be sent: empty, no recipients, a time in the past."""


class WrongStatus(Conflict):
    """The update is not in a state that allows this (already sent, cancelled, waiting for approval)."""


@dataclass(frozen=True)
class UpdateDraft:
    subject: str
    body: str
    audience: Audience = Audience.SIGNATORIES
    kind: OrganisationKind | None = None
    region: str | None = None


def _check(draft: UpdateDraft) -> UpdateDraft:
    subject, body = " ".join(draft.subject.split()), draft.body.strip()
    if not subject:
        raise UpdateRefused("Enter a subject for the update.")
    if len(subject) > SUBJECT_MAX:
        raise UpdateRefused(f"The subject must be {SUBJECT_MAX} characters or fewer.")
    if not body:
        raise UpdateRefused("Enter the text of the update.")
    if len(body) > BODY_MAX:
        raise UpdateRefused(f"The update must be {BODY_MAX:,} characters or fewer.")
    kind, region = draft.kind, draft.region or None
    if draft.audience != Audience.FILTERED and (kind is not None or region is not None):
        raise UpdateRefused(NARROWED_WITHOUT_FILTER)
    if draft.audience == Audience.FILTERED and kind is None and region is None:
        raise UpdateRefused("Choose a kind of organisation or a region, or send to all signatories.")
    if region is not None and region not in REGIONS:
        raise UpdateRefused("Choose a region from the list.")
    return UpdateDraft(subject, body, draft.audience, kind, region)


def _require_editor(actor: User, statement: Statement) -> None:
    require_visible(actor, statement)
    if not can(actor, statement, Action.EDIT):
        raise PermissionDenied("Only editors of the statement's co-author organisations can write and send updates.")


def compose(
    statement: Statement, draft: UpdateDraft, *, actor: User, organisation: Organisation | None = None
) -> Mailing:
    """Start an update, in the name of the author organisation `actor` edits for."""
    _require_editor(actor, statement)
    sender = acting_organisation(actor, statement, Action.EDIT, organisation)
    draft = _check(draft)
    mailing = Mailing(
        statement=statement,
        organisation=sender,
        subject=draft.subject,
        body=draft.body,
        audience=draft.audience,
        audience_kind=draft.kind,
        audience_region=draft.region,
        created_by_id=actor.id,
    )
    db.session.add(mailing)
    db.session.flush()
    record("mailing.composed", mailing, organisation=sender, subject=draft.subject, actor=actor)
    return mailing


def edit(mailing: Mailing, draft: UpdateDraft, *, actor: User) -> None:
    """Change an update not yet sent. A changed text needs approving again."""
    _require_editor(actor, mailing.statement)
    if not mailing.editable:
        raise WrongStatus("This update can no longer be changed.")
    draft = _check(draft)
    mailing.subject, mailing.body, mailing.audience = draft.subject, draft.body, draft.audience
    mailing.audience_kind, mailing.audience_region = draft.kind, draft.region
    if mailing.status != MailingStatus.DRAFT:
        mailing.status = MailingStatus.DRAFT
        mailing.approved_by_id = mailing.approved_for_id = mailing.approved_at = None
        mailing.approval_requested_at = None
    record("mailing.edited", mailing, actor=actor)
    db.session.flush()


def settings_for(statement: Statement) -> MailingSettings:
    """The statement's update settings, or the defaults (approval required) when none were saved."""
    settings = db.session.get(MailingSettings, statement.id)
    return settings or MailingSettings(statement_id=statement.id, approval_required=True)


def set_approval_required(statement: Statement, required: bool, *, actor: User) -> None:
    """The statement's owners decide whether updates need another co-author's approval."""
    require_visible(actor, statement)
    if not can(actor, statement, Action.PUBLISH):
        raise PermissionDenied("Only editors of the lead organisation can change this.")
    settings = db.session.get(MailingSettings, statement.id)
    if settings is None:
        settings = MailingSettings(statement_id=statement.id)
        db.session.add(settings)
    settings.approval_required = required
    record("mailing.approval_setting_changed", statement, approval_required=required, actor=actor)
    db.session.flush()


def approval_needed(mailing: Mailing) -> bool:
    """With several author organisations, another one agrees before an update goes in all their names."""
    if not settings_for(mailing.statement).approval_required:
        return False
    return len(statement_queries.author_organisations(mailing.statement)) > 1


def approvers(mailing: Mailing) -> list[Organisation]:
    """The co-author organisations other than the writer's, any of whose signatories may approve the update."""
    return [o for o in statement_queries.author_organisations(mailing.statement) if o.id != mailing.organisation_id]


def request_approval(mailing: Mailing, *, actor: User) -> None:
    """Send a draft update to the other co-authors for approval; refused when it needs none or is not a draft."""
    _require_editor(actor, mailing.statement)
    if mailing.status != MailingStatus.DRAFT:
        raise WrongStatus("This update is not a draft: its approval has already been asked for.")
    if not approval_needed(mailing):
        raise WrongStatus("This update needs no approval: send it when you are ready.")
    mailing.status = MailingStatus.AWAITING_APPROVAL
    mailing.approval_requested_at = utcnow()
    record("mailing.approval_requested", mailing, actor=actor)
    link = external_url("mailings.show", slug=mailing.statement.slug, update_id=mailing.id)
    in_words = audience.in_words(mailing, len(audience.recipients(mailing)))
    seen: set[str] = set()
    for organisation in approvers(mailing):
        for person in _approvers_in(organisation):
            if person.email not in seen:
                seen.add(person.email)
                queue_email(
                    person.email,
                    "mailing_approval",
                    person=person,
                    mailing=mailing,
                    requester=actor,
                    link=link,
                    audience=in_words,
                )
    db.session.flush()


def _approvers_in(organisation: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id, Membership.role.in_(SIGNATORIES))
            .order_by(User.id)
        )
    )


def _approving_organisation(mailing: Mailing, actor: User, organisation: Organisation | None) -> Organisation:
    """The other author organisation `actor` answers for: a signatory or admin of one that is not the writer's."""
    require_visible(actor, mailing.statement)
    others = [o for o in organisations_for(actor, mailing.statement, Action.APPROVE) if o.id != mailing.organisation_id]
    if not others:
        raise PermissionDenied(
            "A signatory or admin of another co-author organisation must approve this update, "
            f"not {mailing.organisation.name}."
        )
    if mailing.status != MailingStatus.AWAITING_APPROVAL:
        raise WrongStatus("This update is not waiting for approval.")
    return next((o for o in others if organisation is not None and o.id == organisation.id), others[0])


def _tell_writer(mailing: Mailing, template: str, **context: Any) -> None:
    writer = mailing.created_by
    if writer is not None:
        link = external_url("mailings.show", slug=mailing.statement.slug, update_id=mailing.id)
        queue_email(writer.email, template, writer=writer, mailing=mailing, link=link, **context)


def approve(mailing: Mailing, *, actor: User, organisation: Organisation | None = None) -> None:
    """A signatory or admin of another author organisation agrees to the update going out; its writer is told."""
    chosen = _approving_organisation(mailing, actor, organisation)
    mailing.status = MailingStatus.APPROVED
    mailing.approved_by_id, mailing.approved_for_id, mailing.approved_at = actor.id, chosen.id, utcnow()
    record("mailing.approved", mailing, organisation=chosen, actor=actor)
    _tell_writer(mailing, "mailing_approved", approver=actor, approver_organisation=chosen)
    db.session.flush()


def send_back(mailing: Mailing, reason: str, *, actor: User, organisation: Organisation | None = None) -> None:
    """An approver returns the update to its writers, saying why; it is a draft again and its writer is told."""
    reason = reason.strip()
    if not reason:
        raise UpdateRefused("Say what should change, so the writers know what to do.")
    if len(reason) > REASON_MAX:
        raise UpdateRefused(f"The reason must be {REASON_MAX:,} characters or fewer.")
    chosen = _approving_organisation(mailing, actor, organisation)
    mailing.status, mailing.approval_requested_at = MailingStatus.DRAFT, None
    mailing.returned_at, mailing.returned_by_id, mailing.return_reason = utcnow(), actor.id, reason
    record("mailing.sent_back", mailing, organisation=chosen, actor=actor)
    _tell_writer(mailing, "mailing_returned", approver=actor, approver_organisation=chosen, reason=reason)
    db.session.flush()


def send(mailing: Mailing, *, actor: User, at: datetime | None = None, now: datetime | None = None) -> None:
    """Send now, or schedule for `at`; an update needing approval must have it."""
    _require_editor(actor, mailing.statement)
    now = now or utcnow()
    if mailing.status not in EDITABLE:
        raise WrongStatus("This update has already been sent, scheduled or cancelled.")
    if approval_needed(mailing) and mailing.status != MailingStatus.APPROVED:
        raise WrongStatus(
            "Another co-author organisation must approve this update before it is sent. Ask for approval first."
        )
    found = audience.recipients(mailing)
    if not found:
        raise UpdateRefused("Nobody would get this update: no one in its audience has asked for updates.")
    mailing.sent_by_id = actor.id
    if at is not None:
        if at <= now:
            raise UpdateRefused("Choose a time in the future to schedule the update, or send it now.")
        mailing.status, mailing.scheduled_at = MailingStatus.SCHEDULED, at
        record("mailing.scheduled", mailing, at=at.isoformat(), actor=actor)
        db.session.flush()
        return
    start_sending(mailing, now, found)
    record("mailing.sent", mailing, recipients=mailing.recipient_count, actor=actor)
    db.session.flush()


def start_sending(mailing: Mailing, now: datetime, found: list[Recipient] | None = None) -> int:
    """Write one outbox row per recipient (`found`, or who they are now), in one bulk insert; returns how many."""
    rows = emails.rows_for(mailing, audience.recipients(mailing) if found is None else found, now)
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)
    mailing.status = MailingStatus.SENDING if rows else MailingStatus.SENT
    mailing.started_at, mailing.recipient_count = now, len(rows)
    if not rows:
        mailing.finished_at = now
    db.session.flush()
    events.update_sent.send(mailing)
    return len(rows)


def start_due(now: datetime) -> int:
    """Start every scheduled update whose time has come (the mail worker calls this); returns how many."""
    due = db.session.scalars(
        sa.select(Mailing)
        .where(Mailing.status == MailingStatus.SCHEDULED, Mailing.scheduled_at <= now)
        .with_for_update(skip_locked=True)
    ).all()
    for mailing in due:
        start_sending(mailing, now)
        record("mailing.started", mailing, recipients=mailing.recipient_count, actor=None)
    return len(due)


def finish_done(now: datetime) -> None:
    """Mark updates sent once none of their messages is waiting any more."""
    waiting = sa.exists().where(
        OutboxMessage.mailing_id == Mailing.id,
        OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING)),
    )
    db.session.execute(
        sa.update(Mailing)
        .where(Mailing.status == MailingStatus.SENDING, ~waiting)
        .values(status=MailingStatus.SENT, finished_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def cancel(mailing: Mailing, *, actor: User) -> int:
    """Stop an update: nothing more of it is sent. Returns the number of messages cancelled.

    Messages a worker has already claimed (at most one batch per worker) may still go out.
    """
    _require_editor(actor, mailing.statement)
    if mailing.status in (MailingStatus.SENT, MailingStatus.CANCELLED):
        raise WrongStatus("This update has finished: there is nothing left to cancel.")
    now = utcnow()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.mailing_id == mailing.id, OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    mailing.status, mailing.cancelled_at = MailingStatus.CANCELLED, now
    cancelled = rows_changed(result)
    record("mailing.cancelled", mailing, messages=cancelled, actor=actor)
    db.session.flush()
    return cancelled


def send_test(mailing: Mailing, *, actor: User) -> None:
    """The update exactly as a recipient gets it, to the person writing it."""
    _require_editor(actor, mailing.statement)
    organisation = acting_organisation(actor, mailing.statement, Action.EDIT, mailing.organisation)
    subject, text, html, _headers = emails.preview(mailing, Recipient(actor.email, actor.name, organisation.name))
    queue_email(actor.email, "mailing_test", test_subject=subject, text=text, html=html)
    record("mailing.test_sent", mailing, actor=actor)
    db.session.flush()


def publish(mailing: Mailing, *, actor: User, published: bool = True) -> None:
    """The statement's owners show a sent update on its public page (or take it off)."""
    require_visible(actor, mailing.statement)
    if not can(actor, mailing.statement, Action.PUBLISH):
        raise PermissionDenied("Only editors of the lead organisation can publish updates.")
    if mailing.status not in (MailingStatus.SENDING, MailingStatus.SENT):
        raise WrongStatus("Only an update that has been sent can be published.")
    mailing.published_at = utcnow() if published else None
    record("mailing.published" if published else "mailing.unpublished", mailing, actor=actor)
    db.session.flush()
