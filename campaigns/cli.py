"""Commands: `flask --app wsgi worker | seed-demo | create-admin EMAIL | serve | lapse-signatures |
expire-signatures | apply-retention`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import Flask, current_app
from werkzeug.serving import run_simple

from campaigns.accounts.passwords import password_problem
from campaigns.accounts.services import create_platform_admin
from campaigns.demo import database_is_empty, demo_loaded, load_demo_data
from campaigns.extensions import db
from campaigns.organisations.demo import DEMO_PASSWORD, PEOPLE
from campaigns.outbox.worker import Worker
from campaigns.signatures import services as signature_services


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver everything due, then exit.")
def worker_command(once: bool) -> None:
    """Deliver queued email. Stops cleanly on Ctrl-C or SIGTERM after the message in hand."""
    worker = Worker(current_app._get_current_object())  # type: ignore[attr-defined]
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    if not current_app.config.get("MAIL_SERVER"):
        click.echo(f"No MAIL_SERVER set: email will be written to {current_app.config['CAMPAIGNS_OUTBOX_DIR']}/")
    worker.run(once=once)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no accounts yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo organisations and people (safe to run again)."""
    if if_empty and not database_is_empty():
        click.echo("The database already has accounts: demo data not loaded.")
        return
    added = load_demo_data()
    db.session.commit()
    click.echo(
        f"Demo data: added {added['organisations']} organisations, {added['people']} people, "
        f"{added['memberships']} memberships, {added['statements']} statements, {added['signatures']} signatures."
    )
    _print_demo_accounts()


def _print_demo_accounts() -> None:
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for person in PEOPLE:
        roles = ", ".join(f"{role.label.lower()} of {name}" for name, role in person.memberships)
        click.echo(f"  {person.email:<45} {'platform admin' if person.platform_admin else roles}")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default=None, help="Full name, when creating a new account.")
def create_admin_command(email: str, name: str | None) -> None:
    """Make EMAIL a platform admin, creating a confirmed account for it if needed."""
    from campaigns.accounts.queries import find_user_by_email

    password = ""
    if find_user_by_email(email) is None:
        name = name or click.prompt("Full name")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, [name, email])
        if problem:
            raise click.ClickException(problem)
    user = create_platform_admin(email, name or "", password)
    db.session.commit()
    click.echo(f"{user.email} is a platform admin.")


@click.command("lapse-signatures")
def lapse_signatures_command() -> None:
    """Stop counting signatures of an earlier version once past the owners' limit. Run it every hour."""
    lapsed = signature_services.lapse_due()
    db.session.commit()
    click.echo(f"{lapsed} signature{'' if lapsed == 1 else 's'} of an earlier version stopped counting.")


@click.command("expire-signatures")
def expire_signatures_command() -> None:
    """Expire signatures whose confirmation link ran out unused. Run it every hour."""
    expired = signature_services.expire_unconfirmed()
    db.session.commit()
    click.echo(f"{expired} unconfirmed signature{'' if expired == 1 else 's'} expired.")


@click.command("apply-retention")
def apply_retention_command() -> None:
    """Erase signers' contact details kept long enough, and unconfirmed signatures and invitations. Run it daily."""
    from campaigns.privacy.retention import apply_retention

    report = apply_retention()
    db.session.commit()
    for line in report.lines():
        click.echo(line)


@click.command("reindex-organisation-names")
def reindex_organisation_names_command() -> None:
    """Give organisations loaded in bulk (without the app) their name keys and word index."""
    from campaigns.organisations.name_index import reindex_all

    done = reindex_all(db.session.connection())
    db.session.commit()
    click.echo(f"{done} organisation{'' if done == 1 else 's'} indexed by name.")


@click.command("check-registers")
def check_registers_command() -> None:
    """Ask the Charity Commission and Companies House about every organisation's number (run it daily)."""
    import sqlalchemy as sa

    from campaigns.organisations import registers
    from campaigns.organisations.models import Organisation

    flagged = 0
    for organisation in db.session.scalars(
        sa.select(Organisation).where(
            Organisation.merged_into_id.is_(None),
            sa.or_(Organisation.charity_number.is_not(None), Organisation.company_number.is_not(None)),
        )
    ):
        entry = registers.refresh(organisation)
        flagged += bool(entry and entry.flagged)
        db.session.commit()
    click.echo(f"Registers checked; {flagged} organisation{'' if flagged == 1 else 's'} flagged.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Run the web server and the mail worker together, for development. Ctrl-C stops both."""
    # Ctrl-C and SIGTERM both stop the server, even when started from a shell that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    environment = dict(os.environ)
    if not environment.get("CAMPAIGNS_BASE_URL", "").strip():
        # Links in emails and API answers point at this server, on whatever port it was given.
        base_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        current_app.config["CAMPAIGNS_BASE_URL"] = environment["CAMPAIGNS_BASE_URL"] = base_url
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], env=environment)
    click.echo(f"\nCommon Ground is running at http://{host}:{port}/")
    if demo_loaded():
        _print_demo_accounts()
    # End this command's transaction: on SQLite it would hold the write lock for as long as we serve.
    db.session.remove()
    click.echo("\nPress Ctrl-C to stop.\n")
    try:
        run_simple(host, port, current_app._get_current_object(), threaded=True)  # type: ignore[attr-defined]
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


def init_app(app: Flask) -> None:
    from campaigns.consultations import commands as consultation_commands
    from campaigns.outbox import commands as outbox_commands
    from campaigns.submissions import commands as submission_commands
    from campaigns.webhooks.demo import receiver_command

    outbox_commands.init_app(app)
    consultation_commands.init_app(app)
    submission_commands.init_app(app)
    for command in (
        worker_command,
        seed_demo_command,
        create_admin_command,
        serve_command,
        lapse_signatures_command,
        expire_signatures_command,
        apply_retention_command,
        reindex_organisation_names_command,
        check_registers_command,
        receiver_command,
    ):
        app.cli.add_command(command)
