"""Statements as tests need them: started, with partners taking part, proposed, agreed, published. All committed."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind, Role
from campaigns.statements import participation, services, signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Decision, ParticipantRole, Statement, Topic
from campaigns.statements.services import Draft
from tests.factories import add_member, make_organisation, make_user

TEXT = StatementText(
    title="Fund councils fairly",
    summary="Councils and charities ask for fair, long-term funding.",
    body="Councils face a funding gap.\n\nCharities pick up the pieces.\n\nWe ask for a fair settlement.",
    asks=("Restore the local government grant", "Give three-year settlements"),
)


def draft(text: StatementText = TEXT, topics: tuple[Topic, ...] = (Topic.LOCAL_GOVERNMENT_FUNDING,)) -> Draft:
    return Draft(text=text, topics=frozenset(topics))


@dataclass
class Partnership:
    """A statement led by a council with a VCS co-author and a reviewer, and people in each role."""

    statement: Statement
    council: Organisation
    council_editor: User
    council_signatory: User
    council_member: User
    charity: Organisation
    charity_admin: User
    charity_editor: User
    charity_signatory: User
    reviewer: Organisation
    reviewer_member: User


def start_statement(
    editor: User | None = None, organisation: Organisation | None = None, text: StatementText = TEXT
) -> Statement:
    editor = editor or make_user()
    organisation = organisation or make_organisation(kind=OrganisationKind.COUNCIL, admin=editor)
    statement = services.start(draft(text), actor=editor, organisation=organisation)
    db.session.commit()
    return statement


def join(statement: Statement, organisation: Organisation, role: ParticipantRole, *, by: User, admin: User) -> None:
    """`by` (a lead editor) invites `organisation`; its `admin` accepts."""
    participant = participation.invite(statement, organisation, role, actor=by)
    participation.respond(statement, participant, actor=admin, accept=True)
    db.session.commit()


def partnership(text: StatementText = TEXT) -> Partnership:
    council_editor = make_user(name="Carla Council")
    council = make_organisation("Northshire County Council", kind=OrganisationKind.COUNCIL, admin=council_editor)
    council_signatory = add_member(council, make_user(name="Cllr Sig"), Role.SIGNATORY).user
    council_member = add_member(council, make_user(name="Mo Member"), Role.MEMBER).user
    charity_admin = make_user(name="Vic Admin")
    charity = make_organisation("Northshire Food Bank", admin=charity_admin)
    charity_editor = add_member(charity, make_user(name="Ed Charity"), Role.EDITOR).user
    charity_signatory = add_member(charity, make_user(name="Sue Trustee"), Role.SIGNATORY).user
    reviewer_admin = make_user(name="Rita Reviewer")
    reviewer = make_organisation("Northshire CVS", admin=reviewer_admin)
    reviewer_member = add_member(reviewer, make_user(name="Ray Reader"), Role.MEMBER).user
    statement = start_statement(council_editor, council, text)
    join(statement, charity, ParticipantRole.CO_AUTHOR, by=council_editor, admin=charity_admin)
    join(statement, reviewer, ParticipantRole.REVIEWER, by=council_editor, admin=reviewer_admin)
    return Partnership(
        statement,
        council,
        council_editor,
        council_signatory,
        council_member,
        charity,
        charity_admin,
        charity_editor,
        charity_signatory,
        reviewer,
        reviewer_member,
    )


def agree(p: Partnership) -> None:
    """Propose the current revision and have both author organisations approve it."""
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
    db.session.commit()


def publish(p: Partnership) -> None:
    agree(p)
    signoff.open_for_signatures(p.statement, actor=p.council_editor)
    db.session.commit()
