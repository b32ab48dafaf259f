"""A platform admin merges an organisation added twice: everything moves to the one kept, one signature per
statement survives (the earliest confirmed), and the counters stay equal to a count of the signatures."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, OrganisationKind, OrganisationMerge, Role
from campaigns.signatures.counting import totals
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.statements import participation
from campaigns.statements.models import Participant, ParticipantRole
from campaigns.submissions.workdays import today_in_london
from tests.factories import add_member, make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement
from tests.signatures.test_concurrency import actual_counts, counter_values
from tests.submissions.builders import send


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def twice_added():
    """Eastwick Food Bank (verified, one admin) and its copy East Wick Foodbank (unverified, a council by
    mistake, two people), both signing the same statement, the copy first; the copy signing another too."""
    with clock_at(at("2026-09-01")):
        p = open_statement()
        other = open_statement()
    kept_admin, copy_admin, both = make_user(name="Kept Admin"), make_user(name="Copy Admin"), make_user(name="Both")
    kept = make_organisation("Eastwick Food Bank", admin=kept_admin, charity_number=None)
    copy = make_organisation(
        "East Wick Foodbank", kind=OrganisationKind.COUNCIL, verified=False, admin=copy_admin, charity_number="1234567"
    )
    add_member(kept, both, Role.MEMBER)
    add_member(copy, both, Role.ADMIN)
    with clock_at(at("2026-10-01")):
        early = confirmed(p.statement, copy, copy_admin)
        confirmed(other.statement, copy, copy_admin)
    with clock_at(at("2026-11-01")):
        later = confirmed(p.statement, kept, kept_admin)
    return p, other, kept, copy, early, later


def test_merging_moves_everything_keeps_the_earliest_signature_and_the_counts_exact(client, backend):
    p, other, kept, copy, early, later = twice_added()
    early_id, later_id = early.id, later.id
    participation.invite(p.statement, copy, ParticipantRole.REVIEWER, actor=p.council_editor)
    db.session.commit()
    assert totals(p.statement.id).total == 2  # counted twice before the merge
    admin = make_user(platform_admin=True)
    client.login(admin)

    page = client.get(f"/admin/organisations/{copy.slug}/merge")
    assert page.status_code == 200 and "Merge into Eastwick Food Bank" in page.text  # offered as a likely duplicate
    response = client.post(f"/admin/organisations/{copy.slug}/merge", data={"into": kept.slug})
    assert response.status_code == 302
    db.session.expire_all()

    for statement in (p.statement, other.statement):
        assert counter_values(statement.id) == actual_counts(statement.id)
    assert totals(p.statement.id).total == 1 and totals(other.statement.id).total == 1
    survivors = db.session.scalars(sa.select(Signature).where(Signature.statement_id == p.statement.id)).all()
    organisations_signed = {s.organisation_id for s in survivors}
    assert kept.id in organisations_signed and copy.id not in organisations_signed
    [survivor] = [s for s in survivors if s.organisation_id == kept.id]
    assert survivor.id == early_id and survivor.status == SignatureStatus.CONFIRMED  # the earliest confirmed
    assert db.session.get(Signature, later_id) is None
    roles = dict(
        db.session.execute(
            sa.select(Membership.user_id, Membership.role).where(Membership.organisation_id == kept.id)
        ).all()
    )
    assert len(roles) == 3 and Role.ADMIN in roles.values()
    assert db.session.scalar(
        sa.select(Participant.organisation_id).where(
            Participant.statement_id == p.statement.id,
            Participant.role == ParticipantRole.REVIEWER,
            Participant.organisation_id == kept.id,
        )
    )
    merged = db.session.get(Organisation, copy.id)
    assert merged.merged_into_id == kept.id and merged.name_key is None and merged.charity_number is None
    assert db.session.get(Organisation, kept.id).charity_number == "1234567"

    assert client.get(f"/organisations/{copy.slug}").headers["Location"].endswith(f"/organisations/{kept.slug}")
    listing = client.get("/admin/organisations/merges")
    assert "East Wick Foodbank" in listing.text and "1 duplicate signatures removed" in listing.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationMerge)) == 1
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "organisation.merged"))
    log = client.get(f"/organisations/{kept.slug}/activity")
    assert "East Wick Foodbank" in log.text  # the merged organisation's history shows with the kept one's


def test_a_list_as_of_a_date_before_the_merge_counts_the_organisation_once_from_its_first_signature(app):
    p, _other, kept, copy, _early, _later = twice_added()
    admin = make_user(platform_admin=True)
    from campaigns.organisations.merging import merge

    merge(copy, kept, actor=admin)
    db.session.commit()
    [submission] = send(p, sent_on=date(2026, 10, 15), today=today_in_london())
    assert submission.signatory_total == 1  # signed (as the copy) on 1 October, once
    [later] = send(p, sent_on=date(2026, 11, 15), today=today_in_london())
    assert later.signatory_total == 1  # still once, though both had signed by then
