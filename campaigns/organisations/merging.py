"""A platform admin merges an organisation added twice into the one to keep.

Members, invitations, roles in statements, approvals, comments, amendments, updates, submissions and
signatures move to the one kept. Where both had something of which there may be only one (a membership of
the same person, a part in the same statement, a signature of the same statement), one stays: the higher
role, the stronger part, and for signatures the earliest confirmed one, whose counting history takes in the
other's. The counters are kept exact throughout. Revisions and the activity log never change: the merged
organisation stays as a record that points to the one kept, and its activity shows with the kept one's.
"""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import rows_changed
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.mailings.models import Mailing
from campaigns.organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationMerge,
    Role,
)
from campaigns.organisations.permissions import require_platform_admin
from campaigns.signatures.counting import uncount
from campaigns.signatures.models import Signature, SignatureContact, SignaturePeriod, SignatureStatus
from campaigns.signatures.services import recount_organisation
from campaigns.statements.models import (
    Amendment,
    Approval,
    Comment,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    Statement,
)
from campaigns.submissions.models import Submission, SubmissionSignatory

IDENTIFIERS = ("charity_number", "company_number", "gss_code")
PART_STRENGTH = {ParticipantRole.LEAD: 3, ParticipantRole.CO_AUTHOR: 2, ParticipantRole.REVIEWER: 1}
STATUS_STRENGTH = {ParticipantStatus.ACTIVE: 2, ParticipantStatus.INVITED: 1}


class CannotMerge(DomainError):
    status_code = 409


def _move(model: type, column: str, merged: Organisation, kept: Organisation) -> int:
    """Point every row of `model` at the kept organisation; returns how many moved."""
    attribute = getattr(model, column)
    result = db.session.execute(sa.update(model).where(attribute == merged.id).values({column: kept.id}))
    return rows_changed(result)


def _memberships(merged: Organisation, kept: Organisation) -> int:
    theirs = {
        m.user_id: m for m in db.session.scalars(sa.select(Membership).where(Membership.organisation_id == kept.id))
    }
    moved = 0
    for membership in db.session.scalars(sa.select(Membership).where(Membership.organisation_id == merged.id)).all():
        already = theirs.get(membership.user_id)
        if already is None:
            membership.organisation_id = kept.id
            moved += 1
            continue
        if membership.role == Role.ADMIN:
            already.role = Role.ADMIN  # an admin of either stays an admin
        db.session.delete(membership)
    return moved


def _invitations(merged: Organisation, kept: Organisation) -> int:
    pending = set(
        db.session.scalars(
            sa.select(Invitation.email).where(
                Invitation.organisation_id == kept.id, Invitation.status == InvitationStatus.PENDING
            )
        )
    )
    for invitation in db.session.scalars(
        sa.select(Invitation).where(
            Invitation.organisation_id == merged.id, Invitation.status == InvitationStatus.PENDING
        )
    ):
        if invitation.email in pending:
            invitation.status = InvitationStatus.REVOKED  # the kept organisation has invited them already
    db.session.flush()
    return _move(Invitation, "organisation_id", merged, kept)


def _participants(merged: Organisation, kept: Organisation) -> int:
    ours = {
        p.statement_id: p
        for p in db.session.scalars(sa.select(Participant).where(Participant.organisation_id == kept.id))
    }
    moved = 0
    for participant in db.session.scalars(sa.select(Participant).where(Participant.organisation_id == merged.id)).all():
        already = ours.get(participant.statement_id)
        if already is None:
            participant.organisation_id = kept.id
            moved += 1
            continue
        strength = (PART_STRENGTH[participant.role], STATUS_STRENGTH.get(participant.status, 0))
        if strength > (PART_STRENGTH[already.role], STATUS_STRENGTH.get(already.status, 0)):
            already.role, already.status = participant.role, participant.status
        db.session.delete(participant)
    return moved


def _approvals(merged: Organisation, kept: Organisation) -> None:
    decided = set(db.session.scalars(sa.select(Approval.revision_id).where(Approval.organisation_id == kept.id)))
    for approval in db.session.scalars(sa.select(Approval).where(Approval.organisation_id == merged.id)).all():
        if approval.revision_id in decided:
            db.session.delete(approval)
        else:
            approval.organisation_id = kept.id


def _precedence(signature: Signature) -> tuple[int, object, int]:
    """The signature to keep sorts first: confirmed (earliest first), then waiting, then the rest."""
    rank = {SignatureStatus.CONFIRMED: 0, SignatureStatus.PENDING: 1}.get(signature.status, 2)
    return rank, signature.confirmed_at or signature.created_at, signature.id


def _signatures(merged: Organisation, kept: Organisation) -> tuple[int, int]:
    """Move the merged organisation's signatures; where both signed a statement the earliest confirmed stays.
    Returns (moved, duplicates removed)."""
    ours = {
        s.statement_id: s
        for s in db.session.scalars(sa.select(Signature).where(Signature.organisation_id == kept.id).with_for_update())
    }
    moved = removed = 0
    for signature in db.session.scalars(
        sa.select(Signature).where(Signature.organisation_id == merged.id).order_by(Signature.id).with_for_update()
    ).all():
        other = ours.get(signature.statement_id)
        if other is None:
            moved += 1
            continue
        survivor, duplicate = sorted((other, signature), key=_precedence)
        # The organisation counted whenever either did: the survivor takes the duplicate's history.
        db.session.execute(
            sa.update(SignaturePeriod)
            .where(SignaturePeriod.signature_id == duplicate.id)
            .values(signature_id=survivor.id)
        )
        uncount(duplicate)  # out of the counters (its periods already belong to the survivor)
        db.session.flush()
        db.session.delete(duplicate)
        db.session.flush()
        removed += 1
        if survivor is other:
            continue
        moved += 1
    db.session.execute(
        sa.update(Signature).where(Signature.organisation_id == merged.id).values(organisation_id=kept.id)
    )
    return moved, removed


def _contacts(merged: Organisation, kept: Organisation) -> None:
    """Signers who agreed the merged organisation may contact them agreed to the organisation it turned out to be."""
    already = sa.select(SignatureContact.signature_id).where(SignatureContact.organisation_id == kept.id)
    db.session.execute(
        sa.delete(SignatureContact).where(
            SignatureContact.organisation_id == merged.id, SignatureContact.signature_id.in_(already)
        )
    )
    _move(SignatureContact, "organisation_id", merged, kept)


def _identifiers(merged: Organisation, kept: Organisation) -> None:
    """Registered numbers the kept organisation lacks come with the merge (each stays unique)."""
    carried = {name: getattr(merged, name) for name in IDENTIFIERS if getattr(merged, name) and not getattr(kept, name)}
    for name in IDENTIFIERS:
        setattr(merged, name, None)
    db.session.flush()
    for name, value in carried.items():
        setattr(kept, name, value)


def merge(merged: Organisation, kept: Organisation, *, actor: User) -> OrganisationMerge:
    """Merge `merged` into `kept`; the merge is recorded, listed and in both organisations' activity."""
    require_platform_admin(actor)
    if merged.id == kept.id:
        raise CannotMerge("Choose two different organisations.")
    for organisation in sorted((merged, kept), key=lambda o: o.id):
        db.session.execute(sa.select(Organisation.id).where(Organisation.id == organisation.id).with_for_update())
        db.session.refresh(organisation)
    if merged.merged_into_id is not None or kept.merged_into_id is not None:
        raise CannotMerge("One of these organisations has already been merged into another.")
    signatures_moved, duplicates = _signatures(merged, kept)
    summary = {
        "members": _memberships(merged, kept),
        "invitations": _invitations(merged, kept),
        "participations": _participants(merged, kept),
        "signatures": signatures_moved,
        "duplicate_signatures_removed": duplicates,
        "submissions": _move(Submission, "organisation_id", merged, kept),
    }
    _approvals(merged, kept)
    _contacts(merged, kept)
    for model, column in (
        (Statement, "lead_organisation_id"),
        (Comment, "organisation_id"),
        (Amendment, "organisation_id"),
        (Mailing, "organisation_id"),
        (Mailing, "approved_for_id"),
        (SubmissionSignatory, "organisation_id"),
        (Organisation, "merged_into_id"),  # those merged into this one before now belong to the kept one
    ):
        _move(model, column, merged, kept)
    _identifiers(merged, kept)
    merged.merged_into_id = kept.id
    merged.name_key = None  # frees the name, and takes it out of the word index
    db.session.flush()
    db.session.expire_all()  # rows moved by UPDATE statements: read them afresh
    recount_organisation(kept)  # moved signatures now count under the kept organisation's kind and verification
    merge_record = OrganisationMerge(
        kept_id=kept.id, merged_id=merged.id, merged_name=merged.name, merged_by_id=actor.id, summary=summary
    )
    db.session.add(merge_record)
    record(
        "organisation.merged", kept, organisation=kept, merged=merged.name, merged_id=merged.id, **summary, actor=actor
    )
    record("organisation.merged_away", merged, organisation=merged, into=kept.name, into_id=kept.id, actor=actor)
    db.session.flush()
    return merge_record
