"""Email about statements. Each names the statement and links to it; each function only queues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from campaigns.accounts.models import User
from campaigns.outbox.services import queue_email
from campaigns.statements.models import Statement
from campaigns.urls import external_url


def _to_each(people: Iterable[User], template: str, statement: Statement, **context: Any) -> None:
    link = external_url("statements.workspace", slug=statement.slug)
    for person in people:
        queue_email(person.email, template, person=person, statement=statement, link=link, **context)


def send_participation_invitation(people: Iterable[User], statement: Statement, **context: Any) -> None:
    context["respond_link"] = external_url("statements.invitation", slug=statement.slug)
    _to_each(people, "statement_invitation", statement, **context)


def send_participation_answer(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "statement_invitation_answered", statement, **context)


def send_agreement_requested(people: Iterable[User], statement: Statement, **context: Any) -> None:
    context["respond_link"] = external_url("statements.decide", slug=statement.slug)
    _to_each(people, "agreement_requested", statement, **context)


def send_changes_requested(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "changes_requested", statement, **context)


def send_agreed(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "statement_agreed", statement, **context)


def send_amendment_proposed(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "amendment_proposed", statement, **context)


def send_amendment_decided(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "amendment_decided", statement, **context)


def send_comment_reply(people: Iterable[User], statement: Statement, **context: Any) -> None:
    _to_each(people, "comment_reply", statement, **context)
