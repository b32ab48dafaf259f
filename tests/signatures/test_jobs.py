"""The scheduled jobs an operator runs every hour: `flask lapse-signatures` and `flask expire-signatures`."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.signatures import services
from campaigns.signatures.counting import totals
from campaigns.signatures.models import Signature, SignatureDay, SignatureStatus
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.signatures.test_services import new_agreed_revision


def run(app, command: str) -> str:
    result = app.test_cli_runner().invoke(args=[command])
    assert result.exit_code == 0, result.output
    return result.output


def test_lapse_signatures_stops_counting_earlier_versions_past_the_owners_limit(app):
    p = open_statement()
    settings = services.saved_settings(p.statement)
    settings.earlier_version_days = 10
    db.session.commit()
    due = confirmed(p.statement, make_organisation("Due Trust"))
    not_yet = confirmed(p.statement, make_organisation("Not Yet Trust"))
    new_agreed_revision(p)
    due.reconfirm_by = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert totals(p.statement.id).total == 2

    assert run(app, "lapse-signatures") == "1 signature of an earlier version stopped counting.\n"

    db.session.expire_all()
    assert db.session.get(Signature, due.id).lapsed_at is not None
    assert db.session.get(Signature, not_yet.id).lapsed_at is None
    assert totals(p.statement.id).total == 1
    assert db.session.scalar(sa.select(sa.func.sum(SignatureDay.count))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "signature.lapsed")) == 1
    assert run(app, "lapse-signatures") == "0 signatures of an earlier version stopped counting.\n"
    assert totals(p.statement.id).total == 1


def test_expire_signatures_expires_those_never_confirmed_within_the_links_life(app):
    p = open_statement()
    old = sign(p.statement, make_organisation("Forgetful Trust"))
    recent = sign(p.statement, make_organisation("Recent Trust"))
    counted = confirmed(p.statement, make_organisation("Counted Trust"))
    old.created_at = utcnow() - timedelta(days=7, minutes=1)
    counted.created_at = utcnow() - timedelta(days=30)
    db.session.commit()

    assert run(app, "expire-signatures") == "1 unconfirmed signature expired.\n"

    db.session.expire_all()
    statuses = {s.id: s.status for s in db.session.scalars(sa.select(Signature))}
    assert statuses == {
        old.id: SignatureStatus.EXPIRED,
        recent.id: SignatureStatus.PENDING,
        counted.id: SignatureStatus.CONFIRMED,
    }
    assert run(app, "expire-signatures") == "0 unconfirmed signatures expired.\n"
    assert totals(p.statement.id).total == 1
