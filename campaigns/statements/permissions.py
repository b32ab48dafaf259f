"""Who may do what with a statement: one table, read by every check, tested cell by cell.

A person's capacity on a statement comes from each organisation they belong to that takes part
in it: the part the organisation plays (lead, co-author, reviewer, or invited) and the person's
role in that organisation. Anyone without a capacity sees nothing of a draft.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.database import session_memo
from campaigns.errors import NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.organisations.permissions import ROLE_PERMISSIONS, Permission
from campaigns.statements.models import Participant, ParticipantRole, ParticipantStatus, Revision, Statement
from campaigns.statements.queries import statement_by_slug, was_agreed


class Part(enum.StrEnum):
    """The part an organisation plays in a statement, as far as permissions go."""

    LEAD = "lead"
    CO_AUTHOR = "co_author"
    REVIEWER = "reviewer"
    INVITED = "invited"


class Action(enum.StrEnum):
    READ = "read"  # the working draft, its history, comments, amendments and activity
    COMMENT = "comment"
    PROPOSE_AMENDMENT = "propose_amendment"
    EDIT = "edit"  # save and restore revisions
    DECIDE_AMENDMENT = "decide_amendment"
    MANAGE_PARTICIPANTS = "manage_participants"  # invite co-authors and reviewers
    PROPOSE = "propose"  # put a revision to the co-authors for agreement
    APPROVE = "approve"  # approve a proposed revision, or ask for changes, for the organisation
    PUBLISH = "publish"  # open an agreed statement for signatures, and close it
    RESPOND = "respond"  # accept or decline an invitation for the organisation
    STEP_DOWN = "step_down"
    #: Where it was sent, every reply (private ones too), the files attached and the packs. Reviewers and invited
    #: organisations see only what the public page shows.
    SEE_SUBMISSIONS = "see_submissions"


def _roles_with(permission: Permission) -> frozenset[Role]:
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


# Who edits, signs and manages is decided once, by the organisations' own role table.
ALL_ROLES = frozenset(Role)
EDITORS = _roles_with(Permission.EDIT_STATEMENTS)
SIGNATORIES = _roles_with(Permission.SIGN)
ADMINS = _roles_with(Permission.MANAGE_MEMBERS)
TAKING_PART = (Part.LEAD, Part.CO_AUTHOR, Part.REVIEWER)
AUTHORS = (Part.LEAD, Part.CO_AUTHOR)


def _cells(parts: tuple[Part, ...], roles: frozenset[Role]) -> frozenset[tuple[Part, Role]]:
    return frozenset((part, role) for part in parts for role in roles)


#: Action -> the (part, role) pairs that may take it.
PERMISSIONS: dict[Action, frozenset[tuple[Part, Role]]] = {
    Action.READ: _cells(TAKING_PART, ALL_ROLES) | _cells((Part.INVITED,), ADMINS),
    Action.COMMENT: _cells(TAKING_PART, ALL_ROLES),
    Action.PROPOSE_AMENDMENT: _cells(TAKING_PART, ALL_ROLES),
    Action.EDIT: _cells(AUTHORS, EDITORS),
    Action.DECIDE_AMENDMENT: _cells(AUTHORS, EDITORS),
    Action.MANAGE_PARTICIPANTS: _cells((Part.LEAD,), EDITORS),
    Action.PROPOSE: _cells((Part.LEAD,), EDITORS),
    Action.APPROVE: _cells(AUTHORS, SIGNATORIES),
    Action.PUBLISH: _cells((Part.LEAD,), EDITORS),
    Action.RESPOND: _cells((Part.INVITED,), ADMINS),
    Action.STEP_DOWN: _cells((Part.CO_AUTHOR, Part.REVIEWER), ADMINS),
    Action.SEE_SUBMISSIONS: _cells(AUTHORS, ALL_ROLES),
}


def part_of(participant: Participant) -> Part | None:
    """The part an organisation plays in the statement (lead, co-author, reviewer, invited), or None if it left."""
    if participant.status == ParticipantStatus.INVITED:
        return Part.INVITED
    if participant.status != ParticipantStatus.ACTIVE:
        return None
    return {ParticipantRole.LEAD: Part.LEAD, ParticipantRole.CO_AUTHOR: Part.CO_AUTHOR}.get(
        participant.role, Part.REVIEWER
    )


@dataclass(frozen=True)
class Capacity:
    organisation: Organisation
    part: Part
    role: Role

    def allows(self, action: Action) -> bool:
        return (self.part, self.role) in PERMISSIONS[action]


def capacities(user: User, statement: Statement) -> list[Capacity]:
    """Every capacity `user` has on `statement`, one per organisation of theirs that takes part.

    A page asks several times while it renders, so the session remembers the answer until it next writes
    (`session_memo`): anything that changes state asks afresh.
    """
    if not user.is_authenticated:
        return []
    remembered = session_memo(db.session(), "statement_capacities")
    key = (user.id, statement.id)
    if key not in remembered:
        remembered[key] = _capacities(user, statement)
    result: list[Capacity] = remembered[key]
    return result


def _capacities(user: User, statement: Statement) -> list[Capacity]:
    rows = db.session.execute(
        sa.select(Participant, Membership.role)
        .join(Membership, Membership.organisation_id == Participant.organisation_id)
        .where(Participant.statement_id == statement.id, Membership.user_id == user.id)
    ).all()
    result = []
    for participant, role in rows:
        part = part_of(participant)
        if part is not None:
            result.append(Capacity(participant.organisation, part, role))
    return sorted(result, key=lambda capacity: capacity.organisation.name.lower())


def organisations_for(user: User, statement: Statement, action: Action) -> list[Organisation]:
    """The organisations `user` may take `action` for on `statement`."""
    return [capacity.organisation for capacity in capacities(user, statement) if capacity.allows(action)]


def can(user: User, statement: Statement, action: Action) -> bool:
    """Whether the person may do this to the statement for at least one of their organisations."""
    return bool(organisations_for(user, statement, action))


def require_visible(user: User, statement: Statement) -> None:
    """A draft is invisible to anyone who takes no part: 404, not 403, so its existence is not revealed."""
    if not can(user, statement, Action.READ):
        raise NotFound("We could not find that statement.")


#: What a refusal says when the person may see the statement but not do this, unless the caller says more.
REFUSALS = {
    Action.EDIT: "Only editors of the lead and co-author organisations can do this.",
}


def statement_for(slug: str, *actions: Action, actor: User, refusal: str | None = None) -> Statement:
    """The statement at `slug` for `actor` to take one of `actions` (by default, to read it).

    404 if they take no part in it (a draft's existence is not revealed), 403 with `refusal` if they may see it
    but none of `actions`.
    """
    statement = statement_by_slug(slug)
    require_visible(actor, statement)
    if actions and not any(can(actor, statement, action) for action in actions):
        raise PermissionDenied(refusal or REFUSALS.get(actions[0], "You cannot do this for this statement."))
    return statement


def acting_organisation(
    user: User, statement: Statement, action: Action, preferred: Organisation | None = None
) -> Organisation:
    """The organisation `user` takes `action` for: `preferred` (who they act for) when it may, else their only one."""
    allowed = organisations_for(user, statement, action)
    if preferred is not None and any(organisation.id == preferred.id for organisation in allowed):
        return preferred
    if len(allowed) == 1:
        return allowed[0]
    require_visible(user, statement)
    if not allowed:
        raise PermissionDenied("None of your organisations may do this for this statement.")
    names = " or ".join(organisation.name for organisation in allowed)
    raise PermissionDenied(f"Choose the organisation you are acting for ({names}) in the header first.")


def require_revision_visible(user: User, statement: Statement, revision: Revision) -> None:
    """A revision every co-author agreed is public once the statement is published; any other is a draft."""
    if statement.is_published and was_agreed(statement, revision):
        return
    require_visible(user, statement)
