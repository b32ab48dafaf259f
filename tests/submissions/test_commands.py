"""The seed-targets and send-reminders commands, and the demo submissions."""

from datetime import date

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.submissions.models import ReminderSent, Submission, Target
from campaigns.submissions.services import Standing, standing
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
