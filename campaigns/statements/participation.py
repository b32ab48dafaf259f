"""Which organisations take part in a statement: invitations to co-author or review, answers, stepping down.

An organisation may decline or step down at any time, with a private reason or none, and may be
invited again later: nothing counts against it.
"""

from __future__ import annotations

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import emails, queries
from campaigns.statements.locks import lock
from campaigns.statements.models import Participant, ParticipantRole, ParticipantStatus, Stage, Statement
from campaigns.statements.permissions import ADMINS, EDITORS, Action, acting_organisation
from campaigns.statements.signoff import agree_if_everyone_has, clear_approvals_of


class AlreadyTakingPart(Conflict):
    pass


def _lock(statement: Statement, participant: Participant) -> None:
    """Answers, step-downs and approvals of one statement happen one at a time, each seeing the others."""
    lock(statement)
    db.session.refresh(participant)


def invite(
    statement: Statement,
    organisation: Organisation,
    role: ParticipantRole,
    *,
    actor: User,
    acting_for: Organisation | None = None,
) -> Participant:
    """Invite `organisation` to co-author or review; inviting again after a decline is allowed."""
    lead = acting_organisation(actor, statement, Action.MANAGE_PARTICIPANTS, acting_for)
    if role == ParticipantRole.LEAD:
        raise DomainError("Choose co-author or reviewer.")
    lock(statement)
    if statement.stage == Stage.CLOSED:
        raise DomainError("This statement is closed.")
    participant = queries.participant_for(statement, organisation.id)
    if participant is not None and participant.status == ParticipantStatus.ACTIVE:
        raise AlreadyTakingPart(f"{organisation.name} already takes part in this statement.")
    if participant is not None and participant.status == ParticipantStatus.INVITED and participant.role == role:
        # Sent twice, or a second click: the first invitation stands and nobody is emailed again.
        raise AlreadyTakingPart(f"{organisation.name} has already been invited as {role.label.lower()}.")
    if participant is None:
        participant = Participant(statement_id=statement.id, organisation_id=organisation.id, role=role)
        participant.status = ParticipantStatus.INVITED
        participant.invited_by_id = actor.id
        with constraint_errors(
            {"uq_statement_participants_statement_id_organisation_id": lambda: Conflict("Invited a moment ago.")}
        ):
            db.session.add(participant)
    else:
        participant.role = role
        participant.status = ParticipantStatus.INVITED
        participant.invited_by_id = actor.id
        participant.invited_at = utcnow()
        participant.responded_at = None
        participant.responded_by_id = None
        participant.private_reason = ""
    record(
        "statement.participant_invited",
        statement,
        organisation=lead,
        invited=organisation.name,
        role=str(role),
        actor=actor,
    )
    emails.send_participation_invitation(
        queries.people_of([organisation], ADMINS),
        statement,
        organisation=organisation,
        role=role,
        lead=lead,
        inviter=actor,
    )
    return participant


def withdraw_invitation(
    statement: Statement, participant: Participant, *, actor: User, acting_for: Organisation | None = None
) -> None:
    lead = acting_organisation(actor, statement, Action.MANAGE_PARTICIPANTS, acting_for)
    _lock(statement, participant)
    if participant.status != ParticipantStatus.INVITED:
        raise DomainError("Only an invitation that has not been answered can be withdrawn.")
    participant.status = ParticipantStatus.WITHDRAWN
    participant.responded_at = utcnow()
    record(
        "statement.invitation_withdrawn",
        statement,
        organisation=lead,
        invited=participant.organisation.name,
        actor=actor,
    )


def respond(statement: Statement, participant: Participant, *, actor: User, accept: bool, reason: str = "") -> None:
    """The invited organisation's admin accepts or declines; a reason is optional and never shown publicly."""
    organisation = participant.organisation
    acting_organisation(actor, statement, Action.RESPOND, organisation)
    _lock(statement, participant)
    if participant.status != ParticipantStatus.INVITED:
        raise DomainError(f"This invitation has already been answered for {organisation.name}.")
    participant.status = ParticipantStatus.ACTIVE if accept else ParticipantStatus.DECLINED
    participant.responded_at = utcnow()
    participant.responded_by_id = actor.id
    participant.private_reason = reason.strip()
    action = "statement.invitation_accepted" if accept else "statement.invitation_declined"
    record(action, statement, organisation=organisation, role=str(participant.role), actor=actor)
    emails.send_participation_answer(
        queries.people_of([statement.lead_organisation], EDITORS),
        statement,
        organisation=organisation,
        participant=participant,
        accepted=accept,
        reason=participant.private_reason,
    )


def step_down(statement: Statement, participant: Participant, *, actor: User, reason: str = "") -> None:
    """A co-author or reviewer stops taking part; a co-author's approvals are cleared."""
    organisation = participant.organisation
    acting_organisation(actor, statement, Action.STEP_DOWN, organisation)
    _lock(statement, participant)
    if participant.status != ParticipantStatus.ACTIVE or participant.role == ParticipantRole.LEAD:
        raise DomainError(f"{organisation.name} is not taking part in this statement.")
    participant.status = ParticipantStatus.STEPPED_DOWN
    participant.responded_at = utcnow()
    participant.responded_by_id = actor.id
    participant.private_reason = reason.strip()
    record(
        "statement.participant_stepped_down",
        statement,
        organisation=organisation,
        role=str(participant.role),
        actor=actor,
    )
    if participant.role == ParticipantRole.CO_AUTHOR:
        clear_approvals_of(statement, organisation)
        # The one organisation that had not yet agreed may be the one leaving.
        agree_if_everyone_has(statement, actor=actor)
