"""The seed-targets and send-reminders commands, and the demo submissions."""

from datetime import date

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.submissions.lateness import Standing, standing
from campaigns.submissions.models import ReminderSent, Submission, Target
from campaigns.submissions.queries import agreed_on
from campaigns.submissions.workdays import today_in_london
from tests.submissions.builders import send, signed_statement


def test_seed_targets_adds_the_starting_set_once(app):
    runner = app.test_cli_runner()
    assert "Targets: added 20." in runner.invoke(args=["seed-targets"]).output
    assert "Targets: added 0." in runner.invoke(args=["seed-targets"]).output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 20


def test_send_reminders_reminds_once_for_an_overdue_submission(app, deliver):
    p = signed_statement()
    send(p, sent_on=date(2026, 11, 2))
    deliver()
    runner = app.test_cli_runner()
    assert "Reminders: 1 sent." in runner.invoke(args=["send-reminders", "--today", "2026-12-01"]).output
    assert "Reminders: 0 sent." in runner.invoke(args=["send-reminders", "--today", "2026-12-01"]).output
    assert len(deliver()) == 3  # each editor of the two author organisations, once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSent)) == 1


def test_the_demo_has_submissions_in_every_standing(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    today = today_in_london()
    standings = {standing(s, today) for s in db.session.scalars(sa.select(Submission))}
    assert standings == set(Standing)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 9


def test_no_demo_submission_was_sent_before_its_text_was_agreed_and_each_lists_who_had_signed_by_then(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    sent = db.session.scalars(sa.select(Submission).where(Submission.sent_on.is_not(None))).all()
    assert sent
    for submission in sent:
        agreed = agreed_on(submission.revision)
        assert agreed is not None and submission.sent_on >= agreed, submission.target.name
    totals = {s.sent_on: s.signatory_total for s in sent if s.statement.slug == "fair-funding-for-rural-councils"}
    earliest, latest = min(totals), max(totals)
    assert 0 < totals[earliest] < totals[latest]  # more had signed by the later sending
