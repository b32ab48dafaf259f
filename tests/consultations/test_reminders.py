"""Deadline reminders: the co-authors of a response hear at 10, 5 and 1 working days before the consultation
closes (England and Wales bank holidays skipped), once each, with whose sign-off is still missing."""

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app

from campaigns.consultations.reminders import send_reminders
from campaigns.extensions import db
from campaigns.outbox.models import OutboxMessage
from campaigns.statements import signoff
from campaigns.statements.models import Decision
from tests.consultations.builders import response_partnership

#: Thursday 1 April 2027, 5pm UK time (British Summer Time): after Good Friday and Easter Monday.
CLOSES_AT = datetime(2027, 4, 1, 16, 0, tzinfo=UTC)


def _run(day: date) -> int:
    sent = send_reminders(day, datetime.combine(day, time(8), tzinfo=UTC))
    db.session.commit()
    return len(sent.sent)


def _emails() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.template == "consultation_deadline").order_by(OutboxMessage.id)
        )
    )


def test_reminders_go_on_the_tenth_fifth_and_last_working_day_before_closing_once_each(app):
    p = response_partnership(closes_at=CLOSES_AT)
    editors = {p.council_editor.email, p.charity_editor.email, p.charity_admin.email}
    runs = {day: _run(date(2027, 3, day)) for day in range(10, 32)}
    # 10 working days before 1 April is 16 March; 5 is 23 March (Good Friday and Easter Monday are not working
    # days); 1 is 31 March. Every other day of the daily job sends nothing.
    assert {day for day, sent in runs.items() if sent} == {16, 23, 31}
    emails = _emails()
    assert [m.subject for m in emails if m.recipient == p.council_editor.email] == [
        "Fair funding review closes in 10 working days",
        "Fair funding review closes in 5 working days",
        "Fair funding review closes in 1 working day",
    ]
    assert {m.recipient for m in emails} == editors  # the co-author organisations' editors and admins
    assert p.reviewer_member.email not in {m.recipient for m in emails}
    assert "closes 1 April 2027 at 5:00pm (UK time): 10 working days from today" in emails[0].text_body
    assert _run(date(2027, 4, 2)) == 0  # closed


def test_a_reminder_says_whose_sign_off_is_still_missing(app):
    p = response_partnership(closes_at=CLOSES_AT)
    _run(date(2027, 3, 16))
    first = _emails()[-1].text_body
    assert "nobody has put ‘Response to ‘Fair funding review’’ to the co-authors for agreement yet" in first
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    db.session.commit()
    _run(date(2027, 3, 31))
    assert "Sign-off is still missing from: Northshire Food Bank." in _emails()[-1].text_body
    assert "Northshire County Council" not in _emails()[-1].text_body.split("missing from")[1]


def test_after_a_missed_run_only_the_nearest_reminder_goes(app):
    response_partnership(closes_at=CLOSES_AT)
    assert _run(date(2027, 3, 24)) == 1  # the 10-day reminder's day passed unrun: the 5-day one goes, alone
    assert {m.subject for m in _emails()} == {"Fair funding review closes in 5 working days"}
    assert _run(date(2027, 3, 25)) == 0


def test_the_daily_command_sends_them(app):
    response_partnership(closes_at=CLOSES_AT)
    result = current_app.test_cli_runner().invoke(args=["send-consultation-reminders", "--today", "2027-03-16"])
    assert result.exit_code == 0, result.output
    assert "Consultation reminders: 1 sent." in result.output
