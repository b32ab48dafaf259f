"""Signing on costs the same however many organisations the platform has: the organisation is found by name, and
near-duplicates offered, through indexes (the name key, the word index and its typing-slip variants, the slug),
never by reading every organisation; the number of SQL statements does not grow with the organisations."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations import matching
from campaigns.organisations.models import Organisation
from campaigns.signatures.bulk import add_confirmed_signatures
from tests.factories import make_organisation
from tests.signatures.builders import open_statement
from tests.signatures.test_list_cost import plan, statements_sent
from tests.signatures.test_signing_on import VISITOR

#: The tables that grow with the organisations on the platform, and that signing on looks names up in.
NAME_TABLES = ("organisations", "organisation_words", "name_word_variants")

#: Names sharing words with the ones signed for, so the word index has something to find each time.
NEIGHBOURS = (
    "Hillside Allotments {n}",
    "Meadowbank Allotments {n}",
    "Riverside Tenants Club {n}",
    "Northfield Group {n}",
)


def add_neighbours(start: int, stop: int) -> None:
    for n in range(start, stop):
        make_organisation(NEIGHBOURS[n % len(NEIGHBOURS)].format(n=n))
    db.session.commit()


def sign_for_a_new_organisation(client, slug: str, name: str, email: str) -> list[tuple[str, object]]:
    """A visitor signs for an organisation new to the platform, in the form's two steps; every statement sent."""
    answers = {**VISITOR, "organisation_name": name, "email": email}
    with statements_sent() as sent:
        asked = client.post(f"/s/{slug}/sign", data=answers)
        assert asked.status_code == 200 and "is new to Common Ground" in asked.text
        details = {"organisation_type": "vcs:charity", "region": "london"}
        signed = client.post(f"/s/{slug}/sign", data={**answers, **details})
        assert signed.status_code == 303
    return sent


def test_signing_on_sends_as_many_statements_with_60_organisations_as_with_4(client):
    p = open_statement()
    add_neighbours(0, 4)
    with_4 = sign_for_a_new_organisation(client, p.statement.slug, "Hillside Tenants Group", "pat@hillside.example")
    add_neighbours(4, 60)
    with_60 = sign_for_a_new_organisation(client, p.statement.slug, "Meadowbank Tenants Group", "sam@meadow.example")
    assert len(with_60) == len(with_4), "\n".join(sql for sql, _ in with_60)


def name_lookups(sent: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The statements that read the organisations' names and words (each with its parameters), to explain."""
    reading = re.compile(r"^\s*(SELECT|DELETE|UPDATE)\b", re.IGNORECASE)
    return [
        (sql, parameters)
        for sql, parameters in sent
        if reading.match(sql) and any(re.search(rf"\b{table}\b", sql) for table in NAME_TABLES)
    ]


def test_on_sqlite_every_name_lookup_of_signing_on_uses_an_index(client, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL's is checked with enough rows below")
    p = open_statement()
    add_neighbours(0, 12)
    sent = sign_for_a_new_organisation(client, p.statement.slug, "Hillside Tenants Group", "pat@hillside.example")
    lookups = name_lookups(sent)
    assert len(lookups) >= 4  # in each step: the variants with their words' frequencies, and the candidates
    full_scan = re.compile(rf"\bSCAN (TABLE )?({'|'.join(NAME_TABLES)})\b")
    for sql, parameters in lookups:
        shown = plan(sql, parameters, backend)
        assert not full_scan.search(shown), f"{sql}\n{shown}"
        assert "USING" in shown, f"{sql}\n{shown}"


def test_on_postgresql_every_name_lookup_of_signing_on_uses_an_index_among_20000_organisations(client, backend):
    if backend != "postgresql":
        pytest.skip("generate_series and PostgreSQL's planner")
    p = open_statement()
    add_confirmed_signatures(p.statement, 20_000)  # "Bulk Trust 1" ... "Bulk Trust 20000", their words indexed
    db.session.commit()
    db.session.connection().exec_driver_sql("ANALYZE")
    db.session.commit()
    sent = sign_for_a_new_organisation(client, p.statement.slug, "Hillside Bulk Trust", "pat@hillside.example")
    lookups = name_lookups(sent)
    assert len(lookups) >= 4
    full_scan = re.compile(rf"Seq Scan on ({'|'.join(NAME_TABLES)})\b")
    for sql, parameters in lookups:
        shown = plan(sql, parameters, backend)
        assert not full_scan.search(shown), f"{sql}\n{shown}"


def test_a_word_too_common_to_tell_organisations_apart_is_not_read_when_the_name_has_a_rarer_one(app, monkeypatch):
    monkeypatch.setattr(matching, "CANDIDATES", 3)  # as if thousands of organisations had "riverside" and "trust"
    for n in range(6):
        make_organisation(f"Riverside Trust {n}")
    make_organisation("Eastwick Riverside Trust")
    db.session.commit()
    with statements_sent() as sent:
        found = matching.likely_matches("Eastwik Riverside Trust")  # a typing slip
    assert [o.name for o in found] == ["Eastwick Riverside Trust"]
    (candidates,) = [parameters for sql, parameters in sent if "UNION ALL" in sql]
    values = candidates.values() if isinstance(candidates, dict) else candidates
    # One value a word (SQLite's expanded list), or one array a group of words (PostgreSQL).
    looked_up = {word for value in values for word in (value if isinstance(value, list) else [value])}
    assert "eastwick" in looked_up and not {"riverside", "trust"} & looked_up
    # A name of common words only is still found by its key, and near it by its commonest words.
    assert [o.name for o in matching.likely_matches("Riverside Trust 4")] == ["Riverside Trust 4"]


#: What the second step of signing for a new organisation may send: the statement with its settings and authors; the
#: name's variants with their frequencies, and the candidates; the organisation and its words and variants; the
#: signature, two activity entries and the email (10 on SQLite; 9 on PostgreSQL, which writes the words and variants in
#: one statement). Nothing is locked or looked up twice, and no savepoint is needed: the organisation is written
#: with ON CONFLICT DO NOTHING (the same name or slug arriving twice at once is then looked up), and its signature
#: nobody else can see yet. A new name's slug is left to its unique constraint rather than looked up first.
SIGN_ON_BUDGET = 10


def test_signing_for_a_new_organisation_keeps_within_its_budget_of_statements(client):
    p = open_statement()
    add_neighbours(0, 8)
    sent = sign_for_a_new_organisation(client, p.statement.slug, "Hillside Tenants Group", "pat@hillside.example")
    # The second step starts where the statement is read for the last time before the organisation is written.
    writes_from = next(i for i, (sql, _) in enumerate(sent) if "INSERT INTO organisations" in sql)
    step_from = max(i for i, (sql, _) in enumerate(sent[:writes_from]) if "FROM statements" in sql)
    in_step = [sql for sql, _ in sent[step_from:]]
    assert len(in_step) <= SIGN_ON_BUDGET, "\n".join(in_step)
    assert not any("SAVEPOINT" in sql for sql in in_step), "nothing written needs undoing on its own"
    assert not any("FOR UPDATE" in sql for sql in in_step), "a new organisation's signature needs no lock"
    assert not any("statement_participants" in sql for sql in in_step[1:]), "the authors come with the statement"


def test_a_new_organisation_whose_slug_is_taken_by_another_name_gets_the_next_free_one(client):
    p = open_statement()
    other = make_organisation("Eastwick Allotments")
    other.slug = "hillside-tenants-group"  # as if renamed since: its old slug stays
    db.session.commit()
    sign_for_a_new_organisation(client, p.statement.slug, "Hillside Tenants Group", "pat@hillside.example")
    added = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Hillside Tenants Group"))
    assert added is not None and added.slug == "hillside-tenants-group-2"
    assert client.get("/organisations/hillside-tenants-group-2").status_code == 200
