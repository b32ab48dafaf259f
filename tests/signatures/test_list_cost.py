"""The lists cost the same at any size: a constant number of statements per public page, each list read a page at a
time from an index in its own order (never a sort of every signature), and paging by key correct under ties."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations import merging
from campaigns.organisations import services as organisation_services
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures import owner_list, public_list
from campaigns.signatures.bulk import add_confirmed_signatures
from campaigns.signatures.models import Signature
from campaigns.signatures.services import settings_for
from tests.factories import make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement


@contextmanager
def statements_sent() -> Iterator[list[tuple[str, object]]]:
    """Every SQL statement sent to the database inside the block, with its parameters."""
    sent: list[tuple[str, object]] = []

    def remember(_connection, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield sent
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)


def sign_many(statement, start: int, stop: int) -> None:
    for n in range(start, stop):
        kind = OrganisationKind.COUNCIL if n % 3 == 0 else OrganisationKind.VCS
        subtype = "district" if kind == OrganisationKind.COUNCIL else "charity"
        confirmed(statement, make_organisation(f"Signing Trust {n:02}", kind=kind, subtype=subtype, region="london"))


def test_public_pages_send_as_many_statements_with_30_signatures_as_with_3(client):
    p = open_statement()
    slug = p.statement.slug
    paths = [
        f"/s/{slug}",
        f"/s/{slug}/signatories",
        f"/s/{slug}/signatories?kind=council&region=london&q=trust",
        f"/s/{slug}/badge.svg",
        f"/s/{slug}/embed",
    ]

    def counts() -> dict[str, int]:
        found = {}
        for path in paths:
            with statements_sent() as sent:
                assert client.get(path).status_code == 200
            found[path] = len(sent)
        return found

    sign_many(p.statement, 0, 3)
    with_3 = counts()
    sign_many(p.statement, 3, 30)
    assert counts() == with_3
    # A later page costs what the first does (its key row, the page, and whether there are newer ones).
    first = client.get(f"/s/{slug}/signatories").text
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', first)[1])
    with statements_sent() as sent:
        client.get(older)
    assert len(sent) <= with_3[f"/s/{slug}/signatories"] + 2


def list_query(statement, filters: public_list.Filters, *, after: int | None = None) -> tuple[str, object]:
    """The public list's query as the page sends it."""
    with statements_sent() as sent:
        public_list.page(statement.id, settings_for(statement), filters, after=after)
    return next((sql, parameters) for sql, parameters in sent if "ORDER BY" in sql and "LIMIT" in sql)


def owners_query(statement, status: str | None, after: owner_list.Cursor | None = None) -> tuple[str, object]:
    with statements_sent() as sent:
        owner_list.page(statement.id, status=status, search="", after=after)
    return next((sql, parameters) for sql, parameters in sent if "ORDER BY" in sql)


def plan(sql: str, parameters: object, backend: str) -> str:
    explain = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
    rows = db.session.connection().exec_driver_sql(explain + sql, parameters).all()
    return "\n".join(str(row[-1]) for row in rows)


LISTS = {
    "everyone": (public_list.Filters(), "ix_signatures_public_list"),
    "one kind": (public_list.Filters(kind=OrganisationKind.COUNCIL), "ix_signatures_public_list_kind"),
    "one region": (public_list.Filters(region="london"), "ix_signatures_public_list_region"),
}


@pytest.mark.parametrize("which", LISTS)
def test_on_sqlite_each_list_reads_its_index_in_order_without_sorting(app, backend, which):
    if backend != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL's is checked with enough rows below")
    p = open_statement()
    sign_many(p.statement, 0, 3)
    filters, index = LISTS[which]
    key = db.session.scalar(sa.select(Signature.id).order_by(Signature.id.desc()).limit(1))
    for after in (None, key):
        shown = plan(*list_query(p.statement, filters, after=after), backend)
        assert f"SEARCH signatures USING INDEX {index} (" in shown, shown
        assert "TEMP B-TREE" not in shown, shown
    for status, index in ((None, "ix_signatures_owner_list"), ("withdrawn", "ix_signatures_owner_list_status")):
        shown = plan(*owners_query(p.statement, status), backend)
        assert f"SEARCH signatures USING INDEX {index} (" in shown and "TEMP B-TREE" not in shown, shown


def test_on_postgresql_the_list_of_20000_reads_one_page_from_the_index(app, backend):
    if backend != "postgresql":
        pytest.skip("generate_series and PostgreSQL's planner")
    p = open_statement()
    add_confirmed_signatures(p.statement, 20_000)
    db.session.commit()
    db.session.connection().exec_driver_sql("ANALYZE")
    middle = db.session.scalar(sa.select(Signature.id).order_by(Signature.confirmed_at, Signature.id).offset(10_000))
    for filters, index in LISTS.values():
        for after in (None, middle):
            shown = plan(*list_query(p.statement, filters, after=after), backend)
            assert f"Index Scan Backward using {index} on signatures" in shown, shown
            assert "Sort" not in shown and "Seq Scan on signatures" not in shown, shown
    shown = plan(*owners_query(p.statement, None), backend)
    assert "Index Scan Backward using ix_signatures_owner_list on signatures" in shown, shown
    assert "Sort" not in shown and "Seq Scan on signatures" not in shown, shown


def names(page: public_list.Page) -> list[str]:
    return [signature.organisation.name for signature in page.signatures]


def test_pages_forward_and_back_are_exact_when_many_signed_in_the_same_instant(app):
    p = open_statement()
    sign_many(p.statement, 0, 25)
    same_instant = db.session.scalar(sa.select(sa.func.min(Signature.confirmed_at)))
    db.session.execute(sa.update(Signature).values(confirmed_at=same_instant))
    db.session.commit()
    settings = settings_for(p.statement)
    everyone = public_list.Filters()
    expected = list(
        db.session.scalars(
            sa.select(Organisation.name)
            .join(Signature, Signature.organisation_id == Organisation.id)
            .order_by(Signature.id.desc())
        )
    )

    first = public_list.page(p.statement.id, settings, everyone, size=10)
    second = public_list.page(p.statement.id, settings, everyone, after=first.older_after, size=10)
    third = public_list.page(p.statement.id, settings, everyone, after=second.older_after, size=10)
    assert names(first) + names(second) + names(third) == expected
    assert third.older_after is None and second.newer_before is not None
    back = public_list.page(p.statement.id, settings, everyone, before=third.newer_before, size=10)
    assert names(back) == names(second)
    assert names(public_list.page(p.statement.id, settings, everyone, before=back.newer_before, size=10)) == names(
        first
    )


def test_the_region_on_each_signature_follows_its_organisation(app):
    p = open_statement()
    trust_admin = make_user()
    trust = make_organisation("Moving Trust", region="north_east", admin=trust_admin)
    confirmed(p.statement, trust, trust_admin)
    twin = make_organisation("Moving Trust Two", region="wales")
    confirmed(p.statement, twin)

    def listed_in(region: str) -> list[str]:
        found = public_list.page(p.statement.id, settings_for(p.statement), public_list.Filters(region=region))
        return names(found)

    assert listed_in("north_east") == ["Moving Trust"]
    admin = make_user(platform_admin=True)
    profile = organisation_services.Profile(name=trust.name, kind=trust.kind, subtype=trust.subtype, region="london")
    organisation_services.update_profile(trust, profile, actor=trust_admin, based_on_version=trust.version)
    db.session.commit()
    assert listed_in("north_east") == [] and listed_in("london") == ["Moving Trust"]

    kept = make_organisation("Kept Trust", region="south_west")
    merging.merge(db.session.get(Organisation, twin.id), kept, actor=admin)
    db.session.commit()
    assert listed_in("wales") == [] and listed_in("south_west") == ["Kept Trust"]
    # Every counted signature carries its organisation's region.
    drift = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Signature)
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .where(Signature.counted_kind.is_not(None), Signature.organisation_region != Organisation.region)
    )
    assert drift == 0
