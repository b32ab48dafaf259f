"""Commands: from cron, daily, `send-consultation-reminders`."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask

from campaigns.consultations.reminders import send_reminders
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.submissions.workdays import today_in_london


@click.command("send-consultation-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Run as if on this date.")
def send_consultation_reminders_command(today: object) -> None:
    """Email co-authors of responses whose consultation closes in 10, 5 or 1 working days (once each)."""
    day: date = today.date() if today is not None else today_in_london()  # type: ignore[attr-defined]
    run = send_reminders(day, utcnow())
    db.session.commit()
    click.echo(f"Consultation reminders: {len(run.sent)} sent.")


def init_app(app: Flask) -> None:
    app.cli.add_command(send_consultation_reminders_command)
