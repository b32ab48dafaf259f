"""List pages load with a constant number of SQL statements: the same with one item as with five."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from campaigns.extensions import db
from campaigns.mailings.models import Audience
from campaigns.submissions import services as submission_services
from campaigns.submissions.models import ResponseKind
from campaigns.submissions.services import ResponseDetails
from tests.mailings.builders import signatories, update
from tests.mailings.test_sending import send as send_update
from tests.statements.builders import Partnership
from tests.submissions.builders import make_target, send, signed_statement


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client, path: str) -> int:
    """How many statements a page takes, once the signed-in session is warm."""
    assert client.get(path).status_code == 200
    db.session.expire_all()
    with statements_run() as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def same_with_one_and_five(client, path: str, add: Callable[[int], None]) -> None:
    add(0)
    with_one = statements_for(client, path)
    for n in range(1, 5):
        add(n)
    with_five = statements_for(client, path)
    assert with_one == with_five, f"{path}: {with_one} statements with 1 item, {with_five} with 5"


def test_the_updates_history_takes_as_many_statements_for_five_updates_as_for_one(client):
    s = signatories(1)
    p = s.p

    def add(n: int) -> None:
        mailing = update(p, subject=f"Update {n}", audience=Audience.CO_AUTHORS if n % 2 else Audience.SIGNATORIES)
        send_update(mailing, p.council_editor)

    client.login(p.council_editor)
    same_with_one_and_five(client, f"/statements/{p.statement.slug}/updates", add)


def _sent_with_a_reply(p: Partnership, n: int) -> None:
    [submission] = send(p, make_target(f"Target {n}"), sent_on=date(2026, 11, 2))
    details = ResponseDetails(
        kind=ResponseKind.ACKNOWLEDGEMENT, received_on=date(2026, 11, 4), from_whom=f"Office {n}", summary="Noted."
    )
    submission_services.record_response(submission, details, actor=p.council_editor, today=date(2026, 11, 25))
    send(p, make_target(f"Planned target {n}"), sent_on=None)
    db.session.commit()


def test_a_statements_submissions_take_as_many_statements_for_five_targets_as_for_one(client):
    p = signed_statement()
    client.login(p.council_editor)
    same_with_one_and_five(client, f"/statements/{p.statement.slug}/submissions", lambda n: _sent_with_a_reply(p, n))


def test_the_organisation_dashboard_takes_as_many_statements_for_five_submissions_as_for_one(client):
    p = signed_statement()
    client.login(p.council_editor)
    same_with_one_and_five(client, f"/organisations/{p.council.slug}/submissions", lambda n: _sent_with_a_reply(p, n))
