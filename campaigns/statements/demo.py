"""Demo statements, one in each stage of its life, on the issues councils and the VCS lobby on together.

They are made through the same services people use, so their revisions, approvals, agreements and
activity are exactly what the app would have recorded. Matched by slug: loading again adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.statements import participation, services, signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Decision, ParticipantRole, Statement, Topic
from campaigns.statements.services import Draft


def _person(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _organisation(name: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.name == name)).one()


@dataclass(frozen=True)
class DemoStatement:
    slug: str
    text: StatementText
    topics: tuple[Topic, ...]
    lead: str  # organisation name
    editor: str  # email of an editor or admin of the lead
    partners: tuple[tuple[str, ParticipantRole, str], ...]  # organisation, part, email of its admin
    then: Callable[[Statement], None]
    #: How long ago it was written and agreed, so that what was sent and signed since has a true past.
    days_ago: int = 0


def _start(demo: DemoStatement) -> Statement:
    editor = _person(demo.editor)
    statement = services.start(
        Draft(text=demo.text, topics=frozenset(demo.topics)), actor=editor, organisation=_organisation(demo.lead)
    )
    statement.slug = demo.slug
    for name, part, admin in demo.partners:
        participant = participation.invite(statement, _organisation(name), part, actor=editor)
        participation.respond(statement, participant, actor=_person(admin), accept=True)
    return statement


def _revise(statement: Statement, email: str, note: str, **changes: object) -> None:
    current = statement.latest_revision
    text = services.text_of(current)
    text = StatementText(
        title=str(changes.get("title", text.title)),
        summary=str(changes.get("summary", text.summary)),
        body=str(changes.get("body", text.body)),
        asks=tuple(changes.get("asks", text.asks)),  # type: ignore[arg-type]
    )
    services.save(
        statement,
        Draft(text=text, topics=frozenset(current.topic_values), change_note=note),
        based_on=current,
        actor=_person(email),
    )


def _agree(statement: Statement, proposer: str, *signatories: str) -> None:
    signoff.propose(statement, actor=_person(proposer))
    for email in signatories:
        signoff.decide(statement, Decision.APPROVED, actor=_person(email))


RURAL_FUNDING = StatementText(
    title="Fair funding for rural councils and the services they commission",
    summary=(
        "Rural councils and the charities they fund are being asked to do more with less. We ask government "
        "for a fair, multi-year settlement that recognises the extra cost of delivering services in rural areas."
    ),
    body="""It costs more to deliver a service to a scattered population: longer journeys, smaller schools, fewer providers.

Since 2010, core spending power in rural councils has fallen faster than in cities, while demand for adult social care has risen.

The voluntary and community sector fills many of the gaps, often with grants that councils can no longer sustain. When those grants end, the services do not move somewhere else: they stop.

We are not asking the voluntary sector to pick up services that are the responsibility of the state. We are asking for the funding that lets councils and charities plan together, for more than a year at a time.""",
    asks=(
        "Restore the rural services delivery grant in full",
        "Publish three-year settlements for local government",
        "Fund councils to sustain grant support to the voluntary sector",
    ),
)

SANCTIONS = StatementText(
    title="Stop sanctions pushing families into crisis",
    summary="Benefit sanctions are driving families in Calderbridge to food banks. We ask for a review of the sanctions regime and for hardship payments to be made automatically.",
    body="""Food banks in Calderbridge report that one in three referrals follows a benefit sanction or a delay.

Council welfare assistance funds are stretched, and advice services have waiting lists of several weeks.

A sanction that leaves a family without food does not help anyone into work.""",
    asks=(
        "Review the sanctions regime with the people affected by it",
        "Make hardship payments automatic when a sanction is applied",
    ),
)

EMPLOYMENT = StatementText(
    title="Employment support that works for people far from work",
    summary="Employment programmes should be designed locally, with voluntary sector partners who already have the trust of the people they serve.",
    body="""National programmes measure job starts, not lasting work. People with health conditions or caring responsibilities are often left out.

Local partnerships of councils and voluntary organisations can reach people that national contracts miss.""",
    asks=(
        "Devolve employment support budgets to local partnerships",
        "Commission with realistic contract terms that local charities can meet",
    ),
)

GROWTH = StatementText(
    title="Councils and charities as partners in the growth agenda",
    summary="Growth that leaves rural communities behind is not growth. The voluntary sector has a role to play in local growth plans.",
    body="""Local growth plans rarely mention the voluntary and community sector, yet it employs thousands of people locally.

Social enterprises and credit unions keep money circulating in local economies.

We want councils to involve the sector in strategic planning, with decisions taken by accountable councillors.""",
    asks=(
        "Give the voluntary sector a seat on local growth boards",
        "Use public procurement to drive social value",
    ),
)

HOUSEHOLD_SUPPORT = StatementText(
    title="Protect the Household Support Fund",
    summary="The Household Support Fund has helped thousands of families in Northshire. Ending it without a replacement would push more people into crisis.",
    body="""The fund lets councils and local charities help families with food, energy and essential items.

Short-notice extensions make it impossible to plan, and charities lose staff between rounds.""",
    asks=("Replace the fund with a permanent, multi-year local crisis support scheme",),
)


def _open_rural(statement: Statement) -> None:
    _revise(
        statement,
        "tom@northshire-foundation.example.org",
        "Added the point about grant cuts",
        body=RURAL_FUNDING.body.replace("often with grants", "often with short-term grants"),
    )
    _agree(
        statement,
        "jo.whitfield@northshire.example.org",
        "cllr.lee@northshire.example.org",
        "chair@northshire-foundation.example.org",
        "gareth@wexdale-rcc.example.org",
    )
    signoff.open_for_signatures(statement, actor=_person("jo.whitfield@northshire.example.org"))


def _in_agreement(statement: Statement) -> None:
    signoff.propose(statement, actor=_person("chris.morgan@calderbridge-cvs.example.org"))
    signoff.decide(statement, Decision.APPROVED, actor=_person("chris.morgan@calderbridge-cvs.example.org"))


def _agreed(statement: Statement) -> None:
    _agree(
        statement,
        "femi@eastwick-foodbank.example.org",
        "femi@eastwick-foodbank.example.org",
        "cllr.murphy@eastwick.example.org",
    )


def _draft(statement: Statement) -> None:
    _revise(
        statement,
        "gareth@wexdale-rcc.example.org",
        "Named credit unions",
        body=GROWTH.body.replace(
            "Social enterprises and credit unions", "Social enterprises, community shops and credit unions"
        ),
    )


def _closed(statement: Statement) -> None:
    _agree(
        statement,
        "priya@northshire-foundation.example.org",
        "chair@northshire-foundation.example.org",
        "cllr.lee@northshire.example.org",
    )
    signoff.open_for_signatures(statement, actor=_person("priya@northshire-foundation.example.org"))
    with clock_at(utcnow() + timedelta(days=70)):  # open for ten weeks
        signoff.close(statement, actor=_person("priya@northshire-foundation.example.org"))


STATEMENTS = [
    DemoStatement(
        "fair-funding-for-rural-councils",
        RURAL_FUNDING,
        (Topic.LOCAL_GOVERNMENT_FUNDING,),
        "Northshire County Council",
        "sam.patel@northshire.example.org",
        (
            ("Northshire Community Foundation", ParticipantRole.CO_AUTHOR, "priya@northshire-foundation.example.org"),
            ("Wexdale Rural Community Council", ParticipantRole.CO_AUTHOR, "gareth@wexdale-rcc.example.org"),
            ("Calderbridge CVS", ParticipantRole.REVIEWER, "chris.morgan@calderbridge-cvs.example.org"),
        ),
        _open_rural,
        days_ago=120,
    ),
    DemoStatement(
        "stop-sanctions-pushing-families-into-crisis",
        SANCTIONS,
        (Topic.SOCIAL_SECURITY,),
        "Calderbridge CVS",
        "chris.morgan@calderbridge-cvs.example.org",
        (
            (
                "Calderbridge Metropolitan Borough Council",
                ParticipantRole.CO_AUTHOR,
                "nadia.hussain@calderbridge.example.org",
            ),
        ),
        _in_agreement,
    ),
    DemoStatement(
        "employment-support-that-works",
        EMPLOYMENT,
        (Topic.EMPLOYMENT_SUPPORT, Topic.SOCIAL_SECURITY),
        "Eastwick Food Bank",
        "femi@eastwick-foodbank.example.org",
        (("London Borough of Eastwick", ParticipantRole.CO_AUTHOR, "aisha.khan@eastwick.example.org"),),
        _agreed,
    ),
    DemoStatement(
        "partners-in-the-growth-agenda",
        GROWTH,
        (Topic.GROWTH,),
        "Wexdale District Council",
        "ruth.kaur@wexdale.example.org",
        (
            ("Wexdale Rural Community Council", ParticipantRole.CO_AUTHOR, "gareth@wexdale-rcc.example.org"),
            ("Northshire Community Foundation", ParticipantRole.REVIEWER, "priya@northshire-foundation.example.org"),
        ),
        _draft,
    ),
    DemoStatement(
        "protect-the-household-support-fund",
        HOUSEHOLD_SUPPORT,
        (Topic.SOCIAL_SECURITY, Topic.LOCAL_GOVERNMENT_FUNDING),
        "Northshire Community Foundation",
        "priya@northshire-foundation.example.org",
        (("Northshire County Council", ParticipantRole.CO_AUTHOR, "jo.whitfield@northshire.example.org"),),
        _closed,
        days_ago=160,
    ),
]


def load_demo_statements() -> int:
    """Add the demo statements that are missing; returns how many were added."""
    added = 0
    for demo in STATEMENTS:
        if db.session.scalar(sa.select(Statement.id).where(Statement.slug == demo.slug)) is not None:
            continue
        with clock_at(utcnow() - timedelta(days=demo.days_ago)):
            statement = _start(demo)
            demo.then(statement)
            db.session.flush()
        added += 1
    return added
