"""A person with a history of every kind, and a look at every text the database holds."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from campaigns.accounts import services as accounts
from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.organisations import services as organisations
from campaigns.organisations.models import Role
from campaigns.statements import amendments, discussion, signoff
from campaigns.statements.models import Decision
from tests.factories import add_member, make_user
from tests.signatures.builders import confirmed
from tests.statements.builders import TEXT, partnership
from tests.statements.helpers import edit, replace_paragraph
from tests.submissions.builders import AGREED_AT, send

NAME = "Zebedee Quartermain"
FIRST_NAME = "Zeb Quartermaine-Smythe"
EMAIL = "zebedee.q@quartermain.example.org"


def every_text_in_the_database() -> list[tuple[str, str, str]]:
    """(table, column, value) for every string, text and JSON value in every table."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON | sa.Enum)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*(sa.cast(c, sa.Text) for c in columns))):
            found += [(table.name, c.name, value) for c, value in zip(columns, row, strict=True) if value]
    return found


def mentions(needle: str) -> list[tuple[str, str]]:
    return [(table, column) for table, column, value in every_text_in_the_database() if needle.lower() in value.lower()]


def a_person_with_a_history(deliver):
    """Someone who wrote a revision, a comment and an amendment, approved and signed for their council, was
    frozen into a list sent to government, was emailed, invited elsewhere, and changed their name once."""
    with clock_at(AGREED_AT):  # agreed and signed before the date it was sent on
        p = partnership()
        person = make_user(EMAIL, FIRST_NAME)
        add_member(p.council, person, Role.ADMIN)
        accounts.change_name(person, NAME)
        db.session.commit()
        edit(p.statement, person, body=replace_paragraph(p.statement.current_revision.body, 0, "Councils need more."))
        discussion.add_comment(p.statement, "Should we name the minister?", actor=person)
        first = p.statement.current_revision
        amendments.propose(
            p.statement,
            dataclasses.replace(TEXT, body=replace_paragraph(first.body, 2, "A lasting settlement.")),
            "Clearer.",
            based_on=first,
            actor=person,
        )
        db.session.commit()
        signoff.propose(p.statement, actor=person)
        signoff.decide(p.statement, Decision.APPROVED, actor=person)
        signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
        signoff.open_for_signatures(p.statement, actor=person)
        db.session.commit()
        confirmed(p.statement, p.council, person)
        confirmed(p.statement, p.charity, p.charity_signatory)
    [submission] = send(p)
    reviewer_admin = organisations.admins_of(p.reviewer)[0]
    organisations.invite(p.reviewer, EMAIL, Role.MEMBER, actor=reviewer_admin)
    db.session.commit()
    deliver()
    accounts.request_password_reset(EMAIL)  # still waiting in the outbox when they delete their account
    db.session.commit()
    return p, person, submission
