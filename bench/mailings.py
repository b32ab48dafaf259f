"""`make bench`: how fast an email update goes out, measured on this machine.

10,000 recipients, delivered to a local aiosmtpd server running in its own process:
- the time to create the update's outbox rows (one bulk insert, as `send` does);
- messages per second with one worker, and with two on PostgreSQL;
- the floor: a raw smtplib loop sending the same 10,000 messages over one connection.
It prints a table, and the ratio of each pipeline rate to the raw loop's.

PostgreSQL: CAMPAIGNS_BENCH_DATABASE_URL, or a temporary database on postgres@127.0.0.1 if one answers.
Set BENCH_RECIPIENTS to measure another size.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from campaigns import create_app  # noqa: E402
from campaigns.database import utcnow  # noqa: E402
from campaigns.extensions import db  # noqa: E402
from campaigns.mailings import services  # noqa: E402
from campaigns.mailings.models import Mailing, MailingStatus  # noqa: E402
from campaigns.mailings.sample import add_signatories  # noqa: E402
from campaigns.organisations.models import Organisation, OrganisationKind  # noqa: E402
from campaigns.outbox.models import DeliveryAttempt, OutboxMessage, OutboxStatus  # noqa: E402
from campaigns.outbox.transport import Envelope, encode  # noqa: E402
from campaigns.statements.models import Revision, Stage, Statement  # noqa: E402

RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "10000"))
BATCH_SIZE = os.environ.get("BENCH_BATCH_SIZE", "200")
SENDER = "Common Ground <no-reply@commonground.example.org>"
BODY = "Dear ((name)),\n\nThe statement **((organisation))** signed went to the Treasury today.\n\nThank you."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_server(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's Sink (accepts and discards), in its own process so it never shares our GIL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("The aiosmtpd server did not start")


def postgres_url() -> tuple[str | None, str | None]:
    """A PostgreSQL URL to use and, if we created it, the database to drop afterwards."""
    given = os.environ.get("CAMPAIGNS_BENCH_DATABASE_URL", "").strip()
    if given:
        return given, None
    admin_url = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    name = f"cg_bench_{secrets.token_hex(4)}"
    try:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
    except sa.exc.OperationalError:
        return None, None
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def drop_postgres(name: str) -> None:
    engine = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def open_statement() -> Statement:
    """A statement open for signatures, led by a council, with one agreed revision."""
    organisation = Organisation(
        name="Bench Council",
        slug="bench-council",
        kind=OrganisationKind.COUNCIL,
        subtype="district",
        region="north_east",
    )
    statement = Statement(slug="bench-statement", lead_organisation=organisation, stage=Stage.OPEN)
    db.session.add_all([organisation, statement])
    db.session.flush()
    revision = Revision(
        statement_id=statement.id,
        number=1,
        title="Fund councils fairly",
        summary="A summary.",
        body="The text.",
        asks=["An ask"],
        topics=["other"],
    )
    db.session.add(revision)
    db.session.flush()
    statement.current_revision_id = statement.agreed_revision_id = revision.id
    return statement


def prepare(url: str, instance: Path) -> tuple[object, int, float]:
    """Migrate, add a statement with RECIPIENTS signatories, create the update's rows; returns the create time."""
    os.environ["CAMPAIGNS_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "MAIL_DEFAULT_SENDER": SENDER})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        statement = open_statement()
        organisation = statement.lead_organisation
        add_signatories(statement, RECIPIENTS)
        mailing = Mailing(
            statement=statement,
            organisation=organisation,
            subject="News for ((organisation))",
            body=BODY,
            status=MailingStatus.APPROVED,
        )
        db.session.add(mailing)
        db.session.commit()
        started = time.perf_counter()
        services.start_sending(mailing, utcnow())
        db.session.commit()
        create_seconds = time.perf_counter() - started
        assert mailing.recipient_count == RECIPIENTS
        return app, mailing.id, create_seconds


def reset(app: object) -> None:
    with app.app_context():  # type: ignore[attr-defined]
        db.session.execute(sa.delete(DeliveryAttempt))
        db.session.execute(
            sa.update(OutboxMessage).values(
                status=OutboxStatus.QUEUED, attempts=0, sent_at=None, claimed_by=None, lease_expires_at=None
            )
        )
        db.session.commit()


def run_workers(app: object, url: str, port: int, count: int, instance: Path) -> float:
    """Run `count` worker processes to the end; messages per second from first send to last."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CAMPAIGNS_", "MAIL_"))},
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "CAMPAIGNS_INSTANCE_PATH": str(instance),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_DEFAULT_SENDER": SENDER,
        "CAMPAIGNS_MAIL_BATCH_SIZE": BATCH_SIZE,
        "CAMPAIGNS_LOG_LEVEL": "WARNING",
    }
    processes = [
        subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--once"], cwd=ROOT, env=env)
        for _ in range(count)
    ]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("A worker failed")
    with app.app_context():  # type: ignore[attr-defined]
        sent, first, last = db.session.execute(
            sa.select(
                sa.func.count(), sa.func.min(DeliveryAttempt.started_at), sa.func.max(DeliveryAttempt.finished_at)
            ).where(DeliveryAttempt.outcome == "sent")
        ).one()
        assert sent == RECIPIENTS, f"{sent} of {RECIPIENTS} sent"
        return sent / max((last - first).total_seconds(), 1e-6)


def raw_loop(app: object, port: int) -> float:
    """The floor: the same messages, encoded as the worker encodes them, sent in a plain loop over one smtplib
    connection, with no queue and no database."""
    with app.app_context():  # type: ignore[attr-defined]
        rows = db.session.execute(sa.select(*(getattr(OutboxMessage, field) for field in Envelope.FIELDS))).all()
        envelopes = [Envelope(*row) for row in rows]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for envelope in envelopes:
                smtp.sendmail(SENDER, [envelope.recipient], encode(envelope))
        return len(envelopes) / (time.perf_counter() - started)


def measure(label: str, url: str, port: int, workers: list[int]) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        app, _mailing_id, create_seconds = prepare(url, instance)
        results = [(label, f"create {RECIPIENTS:,} outbox rows", f"{create_seconds:.2f} s")]
        raw = raw_loop(app, port)
        results.append((label, "raw smtplib loop, one connection (floor)", f"{raw:,.0f} msg/s"))
        for count in workers:
            reset(app)
            rate = run_workers(app, url, port, count, instance)
            results.append(
                (label, f"{count} worker{'s' if count > 1 else ''}", f"{rate:,.0f} msg/s  (ratio {rate / raw:.2f})")
            )
        with app.app_context():  # type: ignore[attr-defined]
            db.engine.dispose()
    return results


def main() -> None:
    port = free_port()
    server = start_smtp_server(port)
    rows: list[tuple[str, str, str]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rows += measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", port, [1])
        url, created = postgres_url()
        if url is None:
            rows.append(("PostgreSQL", "not measured", "no server on 127.0.0.1 (set CAMPAIGNS_BENCH_DATABASE_URL)"))
        else:
            try:
                rows += measure("PostgreSQL", url, port, [1, 2])
            finally:
                if created:
                    drop_postgres(created)
    finally:
        server.terminate()
        server.wait()
    width = max(len(row[1]) for row in rows)
    print(f"\nEmail update benchmark: {RECIPIENTS:,} recipients, batch size {BATCH_SIZE}, aiosmtpd Sink on 127.0.0.1\n")
    print(f"{'Database':<11} {'Measurement':<{width}}  Result")
    print(f"{'-' * 11} {'-' * width}  {'-' * 30}")
    for database, what, result in rows:
        print(f"{database:<11} {what:<{width}}  {result}")


if __name__ == "__main__":
    main()
