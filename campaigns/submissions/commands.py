"""Commands: `flask --app wsgi seed-targets`, and from cron `send-reminders` (daily) and `sweep-attachments`
(hourly)."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask

from campaigns.extensions import db
from campaigns.submissions import uploads
from campaigns.submissions.reminders import send_reminders
from campaigns.submissions.seed import seed_targets
from campaigns.submissions.workdays import today_in_london


@click.command("seed-targets")
def seed_targets_command() -> None:
    """Add the starting directory of targets (safe to run again)."""
    added = seed_targets()
    db.session.commit()
    click.echo(f"Targets: added {added}.")


@click.command("send-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Run as if on this date.")
def send_reminders_command(today: object) -> None:
    """Email editors about replies that became overdue, very overdue or past a promised date (once each)."""
    day: date = today.date() if today is not None else today_in_london()  # type: ignore[attr-defined]
    run = send_reminders(day)
    db.session.commit()
    click.echo(f"Reminders: {len(run.sent)} sent.")


@click.command("sweep-attachments")
def sweep_attachments_command() -> None:
    """Remove attached files left behind by requests that never committed (older than an hour)."""
    swept = uploads.sweep()
    click.echo(f"Attachments: removed {swept.pending} unfinished and {swept.unreferenced} unreferenced files.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_targets_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(sweep_attachments_command)
