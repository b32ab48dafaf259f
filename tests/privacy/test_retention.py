"""Keeping personal data no longer than needed: `flask apply-retention` on a frozen clock, seen in the database rows,
the pages, the CSV and the command's own output."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Invitation, InvitationStatus
from campaigns.privacy.retention import add_months
from campaigns.signatures import services as signatures
from campaigns.signatures.counting import totals
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureContact, SignaturePeriod, SignatureSettings
from campaigns.statements import signoff
from campaigns.submissions.models import SubmissionSignatory
from tests.factories import make_invitation, make_organisation
from tests.signatures.builders import confirmed, sign
from tests.signatures.test_exports import rows_of
from tests.signatures.test_settings import form_for, saved
from tests.submissions.builders import AGREED_AT, send, signed_statement

CLOSED_AT = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


def closed_statement(months: int | None = None):
    """Agreed and signed on 1 September 2026 (Riverside, with a comment; Hillside withdrew with a reason; Quiet not
    listed publicly), sent to the Treasury on 2 October, closed on 15 October."""
    p = signed_statement("Riverside Community Trust")
    with clock_at(AGREED_AT):
        hillside = confirmed(
            p.statement,
            make_organisation("Hillside Tenants"),
            signer_name="Pat Hill",
            signer_email="pat@hillside.example.org",
            comment="We live this.",
            may_contact=frozenset({p.council.id}),
        )
        confirmed(p.statement, make_organisation("Quiet Trust"), list_publicly=False, signer_name="Quinn Quiet")
    send(p, sent_on=date(2026, 10, 2))
    with clock_at(datetime(2026, 10, 10, tzinfo=UTC)):
        signatures.withdraw_by_link(signature_token(hillside, "withdraw"), p.statement, "Our board said no")
        db.session.commit()
    with clock_at(CLOSED_AT):
        if months is not None:
            db.session.get(SignatureSettings, p.statement.id).contact_retention_months = months
        signoff.close(p.statement, actor=p.council_editor)
        db.session.commit()
    return p


def run(app) -> str:
    result = app.test_cli_runner().invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def contact_columns() -> list[tuple]:
    return db.session.execute(
        sa.select(
            Signature.signer_name,
            Signature.signer_role,
            Signature.signer_email,
            Signature.comment,
            Signature.withdrawal_reason,
            Signature.signer_id,
        ).order_by(Signature.id)
    ).all()


def frozen_list() -> list[tuple]:
    return db.session.execute(
        sa.select(SubmissionSignatory.name, SubmissionSignatory.signer_name, SubmissionSignatory.signer_role).order_by(
            SubmissionSignatory.id
        )
    ).all()


def test_nothing_is_erased_until_the_platforms_24_months_after_closing_have_passed(app):
    p = closed_statement()
    before = contact_columns()
    with clock_at(add_months(CLOSED_AT, 24) - timedelta(minutes=1)):
        assert run(app) == "Nothing to erase.\n"
    assert contact_columns() == before
    assert (
        "Pat Hill",
        "Chief Executive",
        "pat@hillside.example.org",
        "We live this.",
        "Our board said no",
        None,
    ) in before
    assert abs(p.statement.closed_at - CLOSED_AT) < timedelta(minutes=1)


def test_after_the_period_signers_contact_details_go_and_the_signatures_counts_and_frozen_list_stay(app, client):
    p = closed_statement()
    counts, frozen = totals(p.statement.id), frozen_list()
    statuses = db.session.execute(sa.select(Signature.id, Signature.status).order_by(Signature.id)).all()
    periods = db.session.scalar(sa.select(sa.func.count()).select_from(SignaturePeriod))
    assert ("Riverside Community Trust", "Signatory of Riverside Community Trust", "Chief Executive") in frozen
    moment = add_months(CLOSED_AT, 24) + timedelta(minutes=1)

    with clock_at(moment):
        output = run(app)

    assert output == (
        "Erased the names, roles, email addresses and comments of 3 signers of ‘Fund councils fairly’ "
        f"({p.statement.slug}), closed on 2026-10-15, kept for 24 months; the organisations' signatures stay.\n"
    )
    assert contact_columns() == [("", "", "", "", "", None)] * 3
    erased_at = db.session.scalars(sa.select(Signature.contact_erased_at)).all()
    assert all(abs(at - moment) < timedelta(minutes=1) for at in erased_at)
    assert db.session.scalars(sa.select(SignatureContact)).all() == []
    # What the organisations did stays exactly as it was.
    assert db.session.execute(sa.select(Signature.id, Signature.status).order_by(Signature.id)).all() == statuses
    assert totals(p.statement.id) == counts
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignaturePeriod)) == periods
    assert frozen_list() == frozen
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.contact_details_erased"))
    assert event.detail["signatures"] == 3 and event.detail["months"] == 24

    public = client.get(f"/s/{p.statement.slug}/signatories").text
    assert "Riverside Community Trust" in public and "Signatory of Riverside Community Trust" not in public
    client.login(p.council_editor)
    rows = rows_of(client.get(f"/statements/{p.statement.slug}/signatures.csv").data)
    assert {(row["Organisation"], row["Signer name"], row["Signer email"], row["Comment"]) for row in rows} == {
        ("Riverside Community Trust", "", "", ""),
        ("Hillside Tenants", "", "", ""),
        ("Quiet Trust", "", "", ""),
    }
    assert "contact details were erased on" in client.get(f"/statements/{p.statement.slug}/signatures").text

    with clock_at(moment + timedelta(days=1)):
        assert run(app) == "Nothing to erase.\n"  # a second run finds nothing more


def test_the_owners_can_keep_them_for_less_but_never_for_more_than_the_platform_allows(app, client):
    short = closed_statement(months=6)
    with clock_at(add_months(CLOSED_AT, 6) + timedelta(hours=1)):
        assert f"({short.statement.slug}), closed on 2026-10-15, kept for 6 months" in run(app)
    assert {row[2] for row in contact_columns()} == {""}

    db.session.execute(sa.delete(SignatureContact))
    capped = closed_statement(months=20)
    app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"] = 12  # the platform's maximum lowered since
    try:
        with clock_at(add_months(CLOSED_AT, 12) + timedelta(hours=1)):
            assert "kept for 12 months" in run(app)
    finally:
        app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"] = 24
    erased = db.session.scalars(sa.select(Signature.signer_email).where(Signature.statement_id == capped.statement.id))
    assert set(erased) == {""}


def test_an_open_statements_signers_are_kept_however_old(app):
    p = signed_statement("Riverside Community Trust")
    with clock_at(add_months(utcnow(), 60)):
        assert run(app) == "Nothing to erase.\n"
    assert db.session.scalar(sa.select(Signature.signer_name).where(Signature.statement_id == p.statement.id))


def test_unconfirmed_signatures_and_unaccepted_invitations_go_30_days_after_their_link_expired(app):
    p = signed_statement("Riverside Community Trust")
    now = utcnow()
    old, recent = make_organisation("Old Pending Trust"), make_organisation("Recent Pending Trust")
    with clock_at(now - timedelta(days=7 + 30, hours=1)):
        sign(p.statement, old)
    with clock_at(now - timedelta(days=7 + 29)):
        sign(p.statement, recent)
    db.session.commit()
    signatures.expire_unconfirmed()
    # Counted once, withdrew, signed again and never confirmed: it keeps its row for the record of when it counted.
    again = confirmed(p.statement, make_organisation("Back Again Trust"), signer_email="back@example.org")
    signatures.withdraw_by_link(signature_token(again, "withdraw"), p.statement, "")
    db.session.commit()
    with clock_at(now - timedelta(days=40)):
        sign(p.statement, again.organisation, signer_email="back@example.org")
    db.session.commit()
    organisation = make_organisation("Inviting Trust")
    stale = make_invitation(organisation, "stale@example.org", expires_in=timedelta(days=-31))
    declined = make_invitation(
        organisation, "declined@example.org", status=InvitationStatus.DECLINED, expires_in=timedelta(days=-40)
    )
    accepted = make_invitation(
        organisation, "accepted@example.org", status=InvitationStatus.ACCEPTED, expires_in=timedelta(days=-400)
    )
    fresh = make_invitation(organisation, "fresh@example.org", expires_in=timedelta(days=-29))
    stale_id, declined_id = stale.id, declined.id

    output = run(app)

    assert output == (
        "Removed 1 signature never confirmed, 30 days after the link expired.\n"
        "Erased the contact details of 1 signature never confirmed again after counting once (kept for the record "
        "of when they counted).\n"
        "Removed 2 invitations never accepted, 30 days after the link expired.\n"
    )
    names = set(db.session.scalars(sa.select(Signature.signer_name)))
    organisations = {s.organisation.name for s in db.session.scalars(sa.select(Signature))}
    assert "Old Pending Trust" not in organisations and "Recent Pending Trust" in organisations
    kept = db.session.get(Signature, again.id)
    assert kept is not None and kept.signer_email == "" and kept.contact_erased_at is not None
    assert "" in names
    left = set(db.session.scalars(sa.select(Invitation.id)))
    assert stale_id not in left and declined_id not in left and {accepted.id, fresh.id} <= left


def test_the_owners_choose_the_months_on_the_settings_page_within_the_platforms_maximum(client):
    p = closed_statement()
    client.login(p.council_editor)
    path = f"/statements/{p.statement.slug}/signatures/settings"
    page = client.get(path)
    assert "Common Ground keeps them for at most 24 months after the statement closes" in page.text
    assert "for this statement, until 15 October 2028" in page.text
    too_long = client.post(path, data=form_for(p, contact_retention_months="36"))
    assert too_long.status_code == 400
    assert "The number of months must be a whole number from 1 to 24" in too_long.text
    assert saved(p.statement).contact_retention_months is None
    done = client.post(path, data=form_for(p, contact_retention_months="12"))
    assert done.status_code == 303
    assert saved(p.statement).contact_retention_months == 12
    assert "for this statement, until 15 October 2027" in client.get(path).text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signature.settings_changed"))
    assert event.detail["changed"] == {"contact_retention_months": [None, "12"]}
