"""The owners' settings: closing date, target, verified organisations only, a private launch, and how long
signatures of an earlier version keep counting. Two owners saving at once never lose a change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.signatures import services
from campaigns.signatures.counting import totals
from campaigns.signatures.models import Signature, SignatureSettings
from campaigns.statements.models import Statement
from campaigns.timezone import LONDON
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement
from tests.signatures.test_services import new_agreed_revision
from tests.statements.builders import Partnership, agree, partnership


def saved(statement: Statement) -> SignatureSettings:
    db.session.expire_all()
    return db.session.get(SignatureSettings, statement.id)


def settings_path(p: Partnership) -> str:
    return f"/statements/{p.statement.slug}/signatures/settings"


def in_days(days: int) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(LONDON).date()


def date_fields(name: str, day: date | None) -> dict[str, list[str]]:
    """A GOV.UK date input: three boxes sent under one name, in order day, month, year."""
    return {name: [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]}


def form_for(p: Partnership, **changes: object) -> dict[str, object]:
    """The settings form as the page would send it now, with `changes`."""
    current = services.settings_for(p.statement)
    data: dict[str, object] = {
        **date_fields("closes_on", current.closes_at.astimezone(LONDON).date() if current.closes_at else None),
        "target": str(current.target or ""),
        **date_fields("launch_on", current.launch_at.astimezone(LONDON).date() if current.launch_at else None),
        "launch_time": "",
        "earlier_version_days": "" if current.earlier_version_days is None else str(current.earlier_version_days),
        "contact_retention_months": ""
        if current.contact_retention_months is None
        else str(current.contact_retention_months),
        "version": str(current.version or 1),
    }
    if current.verified_only:
        data["verified_only"] = "y"
    data.update(changes)
    return data


def test_owners_set_a_closing_date_target_verified_only_and_a_private_launch(client):
    p = open_statement()
    client.login(p.charity_editor)
    page = client.get(settings_path(p))
    assert page.status_code == 200 and "Signature settings" in page.text
    closing, launch = in_days(30), in_days(3)

    response = client.post(
        settings_path(p),
        data=form_for(
            p,
            **date_fields("closes_on", closing),
            **date_fields("launch_on", launch),
            target="1,500",
            verified_only="y",
            launch_time="9:30am",
            earlier_version_days="21",
        ),
    )

    assert response.status_code == 303
    assert "The settings have been saved" in client.get(response.headers["Location"]).text
    settings = saved(p.statement)
    assert settings.closes_at == datetime.combine(closing, time(23, 59, 59), tzinfo=LONDON)
    assert settings.launch_at == datetime.combine(launch, time(9, 30), tzinfo=LONDON)
    assert (settings.target, settings.verified_only, settings.earlier_version_days) == (1500, True, 21)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "signature.settings_changed")).one()
    assert event.actor_id == p.charity_editor.id and event.organisation_id == p.charity.id
    assert set(event.detail["changed"]) == {"closes_at", "target", "verified_only", "launch_at", "earlier_version_days"}
    assert event.detail["changed"]["target"] == [None, "1500"]

    shown = client.get(settings_path(p)).text
    assert 'value="1500"' in shown and 'value="9:30am"' in shown and 'value="21"' in shown
    for part, value in (("day", str(closing.day)), ("month", str(closing.month)), ("year", str(closing.year))):
        assert f'id="closes_on-{part}" name="closes_on" type="text" value="{value}"' in shown
    public = client.get(f"/s/{p.statement.slug}").text
    assert "Signatures are being collected privately" in public


def test_a_closing_date_can_be_cleared_and_a_date_already_passed_can_stay(client):
    p = open_statement()
    client.login(p.council_editor)
    client.post(settings_path(p), data=form_for(p, **date_fields("closes_on", in_days(10))))
    assert saved(p.statement).closes_at is not None
    assert client.post(settings_path(p), data=form_for(p, **date_fields("closes_on", None))).status_code == 303
    assert saved(p.statement).closes_at is None

    # The statement closed on its date; changing something else keeps that date.
    settings = services.saved_settings(p.statement)
    settings.closes_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert client.post(settings_path(p), data=form_for(p, target="40")).status_code == 303
    assert saved(p.statement).target == 40


def test_mistakes_get_a_clear_message_keep_what_was_typed_and_save_nothing(client):
    p = open_statement()
    client.login(p.council_editor)
    version = saved(p.statement).version
    cases = [
        ({**date_fields("closes_on", in_days(-1))}, "The closing date must be today or in the future"),
        ({"closes_on": ["31", "2", "2030"]}, "Closing date must be a real date"),
        ({"closes_on": ["12", "", "2030"]}, "Closing date must include a month"),
        ({"closes_on": ["12", "3", "30"]}, "Year must include 4 numbers"),
        ({"target": "lots"}, "Enter the target as a whole number, like 100"),
        ({"target": "0"}, "The target must be a whole number from 1 to 1,000,000"),
        ({"earlier_version_days": "-3"}, "Enter the number of days as a whole number, like 30"),
        (
            {**date_fields("launch_on", in_days(2)), "launch_time": "25pm"},
            "Launch time must be a real time, like 9am, 2:30pm or 14:30",
        ),
        ({"launch_time": "9am"}, "Enter the launch date as well as the time"),
        ({**date_fields("launch_on", in_days(-2))}, "The launch must be in the future"),
        (
            {**date_fields("launch_on", in_days(20)), **date_fields("closes_on", in_days(10))},
            "The launch must be before the closing date",
        ),
        ({"closes_on": ["1", "2"]}, "Closing date must include a year"),
    ]
    for changes, message in cases:
        response = client.post(settings_path(p), data=form_for(p, **changes))
        assert response.status_code == 400, changes
        assert message in response.text, changes
        assert "govuk-error-summary" in response.text and "There is a problem" in response.text
        for value in changes.values():
            if isinstance(value, str) and value:
                assert f'value="{value}"' in response.text, changes
    assert saved(p.statement).version == version
    assert saved(p.statement).target is None


def test_two_owners_editing_at_once_never_overwrite_each_other(client, app):
    p = open_statement()
    stale = form_for(p)
    other = app.test_client()
    other.login(p.charity_editor)
    assert other.post(settings_path(p), data={**stale, "target": "100"}).status_code == 303

    client.login(p.council_editor)
    conflict = client.post(settings_path(p), data={**stale, "target": "250", "earlier_version_days": "7"})

    assert conflict.status_code == 409
    assert "Someone else changed these settings while you were editing them" in conflict.text
    assert "Target: saved as ‘100’" in conflict.text
    assert 'value="250"' in conflict.text and 'value="7"' in conflict.text
    settings = saved(p.statement)
    assert (settings.target, settings.earlier_version_days) == (100, None)
    assert f'name="version" type="hidden" value="{settings.version}"' in conflict.text

    again = client.post(
        settings_path(p),
        data={**stale, "target": "250", "earlier_version_days": "7", "version": str(settings.version)},
    )
    assert again.status_code == 303
    assert (saved(p.statement).target, saved(p.statement).earlier_version_days) == (250, 7)


def test_the_private_link_works_before_the_launch_and_a_new_one_replaces_it(client, app):
    p = open_statement()
    client.login(p.council_editor)
    client.post(settings_path(p), data=form_for(p, **date_fields("launch_on", in_days(5))))
    key = saved(p.statement).private_key
    page = client.get(settings_path(p)).text
    assert f"http://localhost/s/{p.statement.slug}/sign?key={key}" in page
    visitor = app.test_client()
    assert visitor.get(f"/s/{p.statement.slug}/sign").status_code == 409
    assert visitor.get(f"/s/{p.statement.slug}/sign?key={key}").status_code == 200

    form_before = form_for(p)  # another owner has the settings open meanwhile
    renewed = client.post(f"{settings_path(p)}/private-link")
    assert renewed.status_code == 303
    assert "There is a new private link" in client.get(renewed.headers["Location"]).text
    new_key = saved(p.statement).private_key
    assert new_key != key
    assert visitor.get(f"/s/{p.statement.slug}/sign?key={key}").status_code == 409
    assert visitor.get(f"/s/{p.statement.slug}/sign?key={new_key}").status_code == 200
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "signature.private_link_renewed")
    )
    # A new link is not an edit of the settings: the other owner's form still saves.
    assert client.post(settings_path(p), data={**form_before, "target": "12"}).status_code == 303


def test_a_new_time_limit_applies_to_signatures_already_asked_about_a_newer_version(client):
    p = open_statement()
    waiting = confirmed(p.statement, make_organisation("Waiting Trust"))
    new_agreed_revision(p)
    asked = db.session.get(Signature, waiting.id).reconfirm_asked_at
    assert totals(p.statement.id).total == 1
    client.login(p.council_editor)

    client.post(settings_path(p), data=form_for(p, earlier_version_days="30"))
    signature = db.session.get(Signature, waiting.id)
    assert signature.reconfirm_by == asked + timedelta(days=30)
    assert totals(p.statement.id).total == 1

    client.post(settings_path(p), data=form_for(p, earlier_version_days="0"))
    signature = db.session.get(Signature, waiting.id)
    assert signature.lapsed_at is not None and totals(p.statement.id).total == 0

    client.post(settings_path(p), data=form_for(p, earlier_version_days=""))
    signature = db.session.get(Signature, waiting.id)
    assert (signature.reconfirm_by, signature.lapsed_at) == (None, None)
    assert totals(p.statement.id).total == 1
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("signature.%"))).all()
    assert "signature.lapsed" in actions and "signature.counts_again" in actions


def test_owners_set_a_launch_date_before_the_statement_opens(client):
    p = partnership()
    agree(p)
    client.login(p.council_editor)
    launch = in_days(7)
    response = client.post(settings_path(p), data=form_for(p, **date_fields("launch_on", launch)))
    assert response.status_code == 303
    client.post(f"/statements/{p.statement.slug}/open")
    assert "Signatures are being collected privately" in client.get(f"/s/{p.statement.slug}").text


def test_only_the_statements_owners_change_the_settings(client):
    p = open_statement()
    for person in (p.reviewer_member, p.council_member, p.charity_signatory):
        client.login(person)
        assert client.get(settings_path(p)).status_code == 403
        assert client.post(settings_path(p), data=form_for(p, target="5")).status_code == 403
        assert client.post(f"{settings_path(p)}/private-link").status_code == 403
        client.logout()
    assert saved(p.statement).target is None
