"""Commands: `flask --app wsgi dkim-key` (make a signing key and its DNS record) and `process-bounces` (read the
bounce mailbox)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask

from campaigns.outbox.feedback import process_mailbox
from campaigns.outbox.signing import generate_key


@click.command("dkim-key")
@click.option("--selector", required=True, help="A name for this key, such as cg2026 (a new one for each new key).")
@click.option("--domain", required=True, help="The domain of your From address, such as northshire.gov.uk.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the private key (readable by its owner only). Never share or commit it.",
)
@click.option("--bits", type=click.Choice(["2048", "3072", "4096"]), default="2048", show_default=True)
def dkim_key_command(selector: str, domain: str, out: Path, bits: str) -> None:
    """Make a DKIM key pair: write the private key, print the DNS TXT record to publish and the settings."""
    if out.exists():
        raise click.ClickException(f"{out} already exists: choose another path (and a new selector) for a new key.")
    key = generate_key(int(bits))
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.private_pem)
    domain = domain.strip().rstrip(".").lower()
    click.echo(f"Wrote the private key to {out} (mode 600).\n")
    click.echo(f"Publish this TXT record in the DNS of {domain}:\n")
    click.echo(f"  Name:  {selector}._domainkey.{domain}")
    click.echo(f"  Value: {key.record}\n")
    click.echo("As a line of a zone file:\n")
    click.echo(f"  {key.zone_line(selector, domain)}\n")
    click.echo("Then set, for the web processes and the mail workers alike:\n")
    click.echo(f"  CAMPAIGNS_DKIM_SELECTOR={selector}")
    click.echo(f"  CAMPAIGNS_DKIM_DOMAIN={domain}")
    click.echo(f"  CAMPAIGNS_DKIM_KEY_PATH={out.resolve()}")


@click.command("process-bounces")
@click.argument("mailbox", type=click.Path(exists=True, path_type=Path))
def process_bounces_command(mailbox: Path) -> None:
    """Read bounces, complaints and emailed unsubscribe requests from MAILBOX (a Maildir folder or an mbox file).

    Run it every few minutes from cron. A Maildir's messages are marked read (unreadable ones flagged too);
    an mbox is left as it is, and reading it again records nothing twice.
    """
    counts = process_mailbox(mailbox)
    if not counts:
        click.echo(f"Nothing new in {mailbox}.")
        return
    found = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
    click.echo(f"Read {sum(counts.values())} messages from {mailbox}: {found}.")
    if counts["unreadable"] or counts["failed"]:
        click.echo("Some could not be read: the log says why (in a Maildir they are flagged for a person to look at).")


def init_app(app: Flask) -> None:
    app.cli.add_command(dkim_key_command)
    app.cli.add_command(process_bounces_command)
