"""Demo submissions: the starting targets, a few signatories, and submissions in every status.

Dates are counted back from today in working days, so the demo always has a submission awaiting a
reply, one overdue, one very overdue, one acknowledged, answered (publicly and privately), planned
and closed. Loading again adds nothing once a statement has submissions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures import services as signatures
from campaigns.signatures.emails import signature_token
from campaigns.signatures.services import SignOn
from campaigns.statements.models import Statement
from campaigns.submissions import services
from campaigns.submissions.models import Channel, ResponseKind, Stance, Submission, Target
from campaigns.submissions.seed import seed_targets
from campaigns.submissions.services import ResponseDetails, SubmissionDetails
from campaigns.submissions.workdays import add_working_days, subtract_working_days, today_in_london

#: Organisations that sign the open demo statement: (organisation, signer's email, role shown).
SIGNATORIES = [
    ("Wexdale District Council", "ruth.kaur@wexdale.example.org", "Chief Executive"),
    ("Eastwick Food Bank", "femi@eastwick-foodbank.example.org", "Director"),
    ("Calderbridge Metropolitan Borough Council", "nadia.hussain@calderbridge.example.org", "Leader of the Council"),
    ("London Borough of Eastwick", "cllr.murphy@eastwick.example.org", "Cabinet Member for Finance"),
]


def _person(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _target(name: str) -> Target:
    return db.session.scalars(sa.select(Target).where(Target.name == name, Target.statement_id.is_(None))).one()


def _sign(statement: Statement) -> None:
    for name, email, role in SIGNATORIES:
        organisation = db.session.scalars(sa.select(Organisation).where(Organisation.name == name)).one()
        signer = _person(email)
        try:
            outcome = signatures.sign(
                statement,
                SignOn(organisation, signer.name, role, signer.email, list_publicly=True, wants_updates=True),
                signer=signer,
            )
            if not outcome.already_signed:
                signatures.confirm(signature_token(outcome.signature, "confirm"), statement)
        except DomainError:
            continue  # the statement does not take signatures


def _send(
    statement: Statement, editor: User, target: str, days_ago: int | None, today: date, channel: Channel = Channel.EMAIL
) -> Submission:
    [submission] = services.record_submissions(
        statement,
        [_target(target)],
        SubmissionDetails(
            channel=channel,
            sent_on=subtract_working_days(today, days_ago) if days_ago is not None else None,
            reference=f"CG-{statement.id}-{_target(target).short_name.replace(' ', '').upper()}",
            sent_by=editor.name,
        ),
        actor=editor,
        today=today,
    )
    return submission


def _reply(submission: Submission, editor: User, kind: ResponseKind, after: int, today: date, **fields: Any) -> None:
    assert submission.sent_on is not None
    received = min(today, add_working_days(submission.sent_on, after))
    values: dict[str, Any] = {"from_whom": "The Minister's office", "summary": "Thank you for your letter."}
    values.update(fields)
    services.record_response(
        submission, ResponseDetails(kind=kind, received_on=received, **values), actor=editor, today=today
    )


def load_demo_submissions() -> int:
    """Add the demo targets and submissions that are missing; returns how many submissions were added."""
    seed_targets()
    today = today_in_london()
    added = 0
    rural = db.session.scalar(sa.select(Statement).where(Statement.slug == "fair-funding-for-rural-councils"))
    if rural is not None and not db.session.scalar(sa.select(Submission.id).where(Submission.statement_id == rural.id)):
        _sign(rural)
        sam = _person("sam.patel@northshire.example.org")
        _send(rural, sam, "HM Treasury", 55, today)  # very overdue
        _send(rural, sam, "Ministry of Housing, Communities and Local Government", 26, today)  # overdue
        _send(rural, sam, "Public Accounts Committee", 4, today, Channel.BRIEFING)  # awaiting
        _send(rural, sam, "Housing, Communities and Local Government Committee", None, today)  # planned
        acknowledged = _send(rural, sam, "Local Government Association", 8, today, Channel.MEETING)
        _reply(acknowledged, sam, ResponseKind.ACKNOWLEDGEMENT, 1, today, from_whom="LGA policy team")
        answered = _send(rural, sam, "Department for Environment, Food and Rural Affairs", 30, today, Channel.LETTER)
        _reply(answered, sam, ResponseKind.ACKNOWLEDGEMENT, 2, today, from_whom="Defra correspondence unit")
        _reply(
            answered,
            sam,
            ResponseKind.FULL,
            14,
            today,
            from_whom="Minister for Rural Affairs",
            summary="The minister agrees that sparsity adds to the cost of services and will raise it with MHCLG.",
            full_text="Dear colleagues,\n\nThank you for your joint statement. We recognise that delivering services "
            "in sparsely populated areas costs more, and we will make sure this is heard in the funding review.",
            stance=Stance.PARTLY,
            is_public=True,
        )
        promised = _send(rural, sam, "Liberal Democrats", 35, today)
        _reply(
            promised,
            sam,
            ResponseKind.HOLDING,
            5,
            today,
            from_whom="Party spokesperson's office",
            summary="A full reply will follow after the party conference.",
            promised_by=add_working_days(promised.sent_on, 22),  # type: ignore[arg-type]
        )
        added += 7
    closed = db.session.scalar(sa.select(Statement).where(Statement.slug == "protect-the-household-support-fund"))
    if closed is not None and not db.session.scalar(
        sa.select(Submission.id).where(Submission.statement_id == closed.id)
    ):
        priya = _person("priya@northshire-foundation.example.org")
        dwp = _send(closed, priya, "Department for Work and Pensions", 70, today, Channel.LETTER)
        _reply(
            dwp,
            priya,
            ResponseKind.FULL,
            18,
            today,
            from_whom="Minister for Social Security",
            summary="The department has no plans to make the fund permanent.",
            stance=Stance.NOT_SUPPORTIVE,
            is_public=True,
        )
        services.close_submission(dwp, actor=priya)
        treasury = _send(closed, priya, "HM Treasury", 60, today)
        _reply(
            treasury,
            priya,
            ResponseKind.FULL,
            25,
            today,
            from_whom="Chief Secretary to the Treasury",
            summary="A private reply about the spending review.",
            stance=Stance.NO_POSITION,
            is_public=False,
        )
        added += 2
    db.session.flush()
    return added
