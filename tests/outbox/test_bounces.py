"""Bounces and complaints after acceptance: VERP return paths, and `flask process-bounces` reading a Maildir or
an mbox of real DSN and ARF messages, well-formed and not."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.mailings import unsubscribing
from campaigns.mailings.models import Suppression, SuppressionReason
from campaigns.outbox.mime import build as build_message
from campaigns.outbox.models import DeliveryReport, OutboxMessage
from campaigns.outbox.reports import Ignored, ReportKind, Unreadable, read
from campaigns.outbox.returnpath import message_for
from tests.factories import make_user
from tests.mailings.builders import signatories, update
from tests.mailings.test_sending import send, updates
from tests.outbox.helpers import queue_password_changed
from tests.outbox.reports import arf, dsn, maildir, mbox
from tests.support.smtp import Received

BOUNCE_DOMAIN = "bounces.commonground.example.org"


@pytest.fixture
def verp(app, monkeypatch):
    monkeypatch.setitem(app.config, "CAMPAIGNS_BOUNCE_DOMAIN", BOUNCE_DOMAIN)


def sent_update(deliver, wanting=2):
    s = signatories(wanting)
    deliver()  # the signatures' confirmations
    send(update(s.p), s.p.council_editor)
    return s, {r.recipients[0]: r for r in updates(deliver())}


def process(app, path):
    result = app.test_cli_runner().invoke(args=["process-bounces", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def reports():
    return list(db.session.scalars(sa.select(DeliveryReport).order_by(DeliveryReport.id)))


def test_each_message_leaves_with_its_own_return_path_that_names_it(app, deliver, verp):
    _s, received = sent_update(deliver)
    for message in received.values():
        outbox = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.message_id == message.message_id))
        assert message.sender == f"bounces+{outbox.id}-{message.sender.split('-')[1]}"
        assert message.sender.endswith(f"@{BOUNCE_DOMAIN}")
        assert message_for(message.sender) == outbox.id
        assert message_for(message.sender.replace(f"+{outbox.id}-", f"+{outbox.id + 1}-")) is None, "forged"


def test_without_a_bounce_domain_the_return_path_is_the_from_address(app, deliver):
    queue_password_changed("ada@example.org")
    [received] = deliver()
    assert received.sender == "no-reply@commonground.example.org"


def test_a_hard_bounce_suppresses_at_once_and_is_recorded_against_the_message(app, deliver, verp, tmp_path):
    _s, received = sent_update(deliver)
    bounced = received["signer1@example.org"]
    box = maildir(tmp_path / "Maildir", dsn(bounced))

    output = process(app, tmp_path / "Maildir")

    assert "1 hard bounce" in output
    [report] = reports()
    assert report.kind == ReportKind.HARD_BOUNCE and report.status == "5.1.1"
    assert report.recipient == "signer1@example.org"
    assert "User unknown" in report.diagnostic and report.reported_by == "dns; mx.example.net"
    assert db.session.get(OutboxMessage, report.message_id).message_id == bounced.message_id
    assert unsubscribing.is_suppressed("signer1@example.org", None)
    assert not unsubscribing.is_suppressed("signer2@example.org", None)
    [suppression] = db.session.scalars(sa.select(Suppression)).all()
    assert suppression.reason == SuppressionReason.BOUNCED
    assert all("S" in box.get_message(key).get_flags() for key in box.iterkeys()), "marked read"
    assert "nothing" in process(app, tmp_path / "Maildir").lower(), "a second run finds nothing new"
    assert len(reports()) == 1


def test_a_complaint_suppresses_at_once(app, deliver, verp, tmp_path):
    _s, received = sent_update(deliver)
    path = mbox(tmp_path / "complaints.mbox", arf(received["signer2@example.org"]))

    assert "1 complaint" in process(app, path)

    [report] = reports()
    assert report.kind == ReportKind.COMPLAINT and report.recipient == "signer2@example.org"
    assert report.reported_by == "ExampleFBL/1.0"
    suppression = db.session.scalar(sa.select(Suppression).where(Suppression.email == "signer2@example.org"))
    assert suppression.reason == SuppressionReason.COMPLAINED
    process(app, path)
    assert len(reports()) == 1, "an mbox read again records nothing twice"


def test_soft_bounces_suppress_only_after_the_documented_number_of_messages(app, deliver, verp, tmp_path):
    assert app.config["CAMPAIGNS_SOFT_BOUNCE_LIMIT"] == 3
    s = signatories(1)
    deliver()
    for n in range(3):
        send(update(s.p, subject=f"Update {n}"), s.p.council_editor)
        [message] = updates(deliver())
        full = dsn(message, status="4.2.2", diagnostic="smtp; 452 4.2.2 Mailbox full", report_id=f"<soft-{n}@mx>")
        mbox(tmp_path / f"soft{n}.mbox", full)
        assert "1 soft bounce" in process(app, tmp_path / f"soft{n}.mbox")
        assert unsubscribing.is_suppressed("signer1@example.org", None) == (n == 2)
    assert [r.kind for r in reports()] == [ReportKind.SOFT_BOUNCE] * 3


def test_a_delay_notice_or_a_report_about_someone_elses_message_changes_nothing(app, deliver, verp, tmp_path):
    _s, received = sent_update(deliver)
    message = received["signer1@example.org"]
    delayed = dsn(message, status="4.4.1", action="delayed", report_id="<delayed@mx>")
    forged = dsn(message, to=f"bounces+999-0000000000@{BOUNCE_DOMAIN}", report_id="<forged@mx>")
    forged = forged.replace(message.message_id.encode(), b"<someone-else@elsewhere.example>")
    path = mbox(tmp_path / "other.mbox", delayed, forged)

    output = process(app, path)

    assert "1 ignored" in output and "1 not ours" in output
    assert reports() == []
    assert not unsubscribing.is_suppressed("signer1@example.org", None)


def test_a_bounce_matched_by_the_message_id_it_quotes_when_there_is_no_verp(app, deliver, tmp_path):
    _s, received = sent_update(deliver)
    path = mbox(tmp_path / "bounces.mbox", dsn(received["signer2@example.org"]))

    assert "1 hard bounce" in process(app, path)
    assert unsubscribing.is_suppressed("signer2@example.org", None)


def test_a_bounce_of_a_transactional_email_is_recorded_but_suppresses_no_update(app, deliver, verp, tmp_path):
    queue_password_changed("ada@example.org")
    [received] = deliver()
    assert "1 hard bounce" in process(app, mbox(tmp_path / "b.mbox", dsn(received)))
    assert [r.recipient for r in reports()] == ["ada@example.org"]
    assert not unsubscribing.is_suppressed("ada@example.org", None)


def _broken(message):
    good = dsn(message, report_id="<broken@mx>")
    return {
        "no status part": good.replace(b"Content-Type: message/delivery-status", b"Content-Type: text/plain"),
        "no status code": good.replace(b"Status: 5.1.1\r\n", b"Status: soon\r\n"),
        "no recipient": good.replace(b"Final-Recipient: rfc822;", b"X-Gone:").replace(b"Original-Recipient:", b"X:"),
        "unknown report": good.replace(b"report-type=delivery-status", b"report-type=disposition-notification"),
        "arf without a type": arf(message, report_id="<arf-broken@fbl>").replace(b"Feedback-Type: abuse\r\n", b""),
        "truncated": good[: len(good) // 3],
        "not even mime": b"\x00\xff\xfe garbage \r\n\r\n",
    }


def test_malformed_reports_are_refused_logged_and_flagged_without_stopping_the_rest(
    app, deliver, verp, tmp_path, caplog
):
    _s, received = sent_update(deliver)
    broken = _broken(received["signer1@example.org"])
    good = dsn(received["signer2@example.org"], report_id="<good@mx>")
    box = maildir(tmp_path / "Maildir", *broken.values(), good)
    caplog.set_level(logging.INFO, logger="campaigns.outbox")

    output = process(app, tmp_path / "Maildir")

    assert "1 hard bounce" in output
    assert [r.recipient for r in reports()] == ["signer2@example.org"]
    assert not unsubscribing.is_suppressed("signer1@example.org", None)
    unreadable = caplog.text.count("Bounce mailbox: cannot read")
    assert unreadable == len(broken) - 1, caplog.text  # all but the one that is no report at all
    flagged = [key for key in box.iterkeys() if "F" in box.get_message(key).get_flags()]
    assert len(flagged) == unreadable, "the unreadable ones stay flagged for a person to look at"
    assert "failed" not in output, "no report made the command crash"


def test_an_emailed_unsubscribe_request_stops_updates_about_that_statement(app, deliver, verp, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CAMPAIGNS_UNSUBSCRIBE_MAILTO", "unsubscribe@commonground.example.org")
    s, received = sent_update(deliver)
    mailto = received["signer1@example.org"].message["List-Unsubscribe"].split("<mailto:")[1].rstrip(">")
    subject = mailto.split("?subject=")[1].replace("%20", " ")
    request = (
        f"From: signer1@example.org\r\nTo: unsubscribe@commonground.example.org\r\nSubject: {subject}\r\n"
        "Message-ID: <request-1@example.org>\r\n\r\n\r\n"
    ).encode()

    assert "1 unsubscribe request" in process(app, mbox(tmp_path / "u.mbox", request))

    assert unsubscribing.is_suppressed("signer1@example.org", s.p.statement)
    assert not unsubscribing.is_suppressed("signer1@example.org", None)


def _a_sent_message() -> Received:
    raw = build_message(
        sender="Common Ground <no-reply@commonground.example.org>",
        recipient="signer1@example.org",
        subject="News",
        text="Hello\n",
        html=None,
        message_id="<1.2@commonground.example.org>",
        date=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
    )
    return Received(f"bounces+1-0123456789@{BOUNCE_DOMAIN}", ["signer1@example.org"], None, raw)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [name for name in _broken(_a_sent_message()) if name != "not even mime"])
def test_each_kind_of_broken_report_is_refused_as_unreadable(name):
    with pytest.raises(Unreadable):
        read(_broken(_a_sent_message())[name])


def test_a_message_that_is_no_report_is_ignored_not_refused():
    assert isinstance(read(_broken(_a_sent_message())["not even mime"]), Ignored)
    assert isinstance(read(b"From: holiday@example.org\r\nSubject: Out of office\r\n\r\nBack Monday.\r\n"), Ignored)


def test_the_well_formed_reports_read_as_what_they_are():
    sent = _a_sent_message()
    [bounce] = read(dsn(sent))
    assert (bounce.kind, bounce.status, bounce.recipient) == (ReportKind.HARD_BOUNCE, "5.1.1", "signer1@example.org")
    assert bounce.original_message_id == "<1.2@commonground.example.org>"
    assert sent.sender in bounce.return_paths
    [soft] = read(dsn(sent, status="5.7.1", diagnostic="smtp; 550 5.7.1 Message refused as spam"))
    assert soft.kind == ReportKind.SOFT_BOUNCE, "a refusal of the message, not of the address"
    [complaint] = read(arf(sent))
    assert complaint.kind == ReportKind.COMPLAINT and complaint.recipient == "signer1@example.org"
    assert isinstance(read(arf(sent, feedback_type="not-spam")), Ignored)


def test_the_updates_history_and_the_admin_mail_page_show_what_came_back(app, client, deliver, verp, tmp_path):
    s, received = sent_update(deliver, wanting=3)
    path = mbox(
        tmp_path / "b.mbox",
        dsn(received["signer1@example.org"]),
        dsn(received["signer2@example.org"], status="4.2.2", diagnostic="smtp; 452 Mailbox full", report_id="<s>"),
        arf(received["signer3@example.org"]),
    )
    process(app, path)

    client.login(s.p.council_editor)
    history = client.get(f"/statements/{s.p.statement.slug}/updates").text
    assert re.findall(r'govuk-table__cell--numeric">([^<]*)', history) == ["3", "0"]  # sent, failed
    came_back = dict(re.findall(r'data-count="(\w+)">([^<]*)<', history))
    assert came_back == {"unsubscribed": "0 unsubscribed", "bounced": "2 bounced (1 soft)", "complaints": "1 complaint"}
    client.logout()
    client.login(make_user(platform_admin=True))
    admin = client.get("/admin/mail").text
    assert "Bounces and complaints" in admin
    for text in ("signer1@example.org", "Hard bounce (5.1.1)", "Soft bounce (4.2.2)", "Mailbox full", "Complaint"):
        assert text in admin
    assert "Feedback-Type: abuse" in admin and "ExampleFBL/1.0" in admin
