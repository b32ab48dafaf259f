"""Records for the data protection officer, and the privacy notice that says the same in plain English."""

from __future__ import annotations

from datetime import UTC, datetime

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.statements import signoff
from tests.factories import make_user
from tests.submissions.builders import signed_statement


def test_platform_admins_see_what_is_held_where_why_how_long_and_who_sees_it(client, app):
    p = signed_statement("Riverside Community Trust", "Hillside Tenants")
    with clock_at(datetime(2026, 10, 15, 12, tzinfo=UTC)):
        signoff.close(p.statement, actor=p.council_editor)
        db.session.commit()
    client.login(make_user(platform_admin=True))
    page = client.get("/admin/privacy")
    assert page.status_code == 200
    text = page.text
    assert '<h1 class="govuk-heading-l">Personal data: records for the data protection officer</h1>' in text
    for heading in ("What", "Where", "Why (lawful basis)", "How long", "Who sees it"):
        assert f'<th scope="col" class="govuk-table__header">{heading}</th>' in text
    for table in (
        "users",
        "signatures",
        "signature_contacts",
        "submission_signatories",
        "outbox_messages",
        "audit_events",
    ):
        assert table in text, table
    assert "at most 24 months (<code>CAMPAIGNS_CONTACT_RETENTION_MONTHS</code>)" in text
    assert "30 days after their link expired" in text
    # The closed statement, when its signers' details go, and how many signers' details are held now.
    assert "Fund councils fairly" in text and "15 October 2026" in text and "15 October 2028" in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in text
    assert "Answering a subject access request" in text and 'href="/account/delete"' in text


def test_nobody_else_sees_the_records(client):
    assert client.get("/admin/privacy").headers["Location"].startswith("/sign-in")
    p = signed_statement()
    client.login(p.council_editor)
    assert client.get("/admin/privacy").status_code == 403


def test_the_privacy_notice_says_the_same_in_plain_english_with_this_sites_periods(client, app):
    app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"] = 18
    try:
        text = client.get("/privacy").text
    finally:
        app.config["CAMPAIGNS_CONTACT_RETENTION_MONTHS"] = 24
    assert "until the statement has been closed for 18 months, or less if the statement’s authors chose less" in text
    assert "they see your email address only if you ticked their organisation’s box" in text
    assert "A signature never confirmed, or an invitation never accepted: 30 days" in text
    assert 'href="/account/delete"' in text
