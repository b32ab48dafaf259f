"""/admin/mail: email delivery at a glance for platform admins."""

from __future__ import annotations

import re

from tests.factories import make_user
from tests.outbox.helpers import insert_messages, queue_password_changed

STATUS_ROW = re.compile(r'<th scope="row" class="govuk-table__header">(\w+)</th><td [^>]*>([\d,]+)</td>')


def counts_shown(page_text: str) -> dict[str, int]:
    return {status: int(count.replace(",", "")) for status, count in STATUS_ROW.findall(page_text)}


def test_a_platform_admin_sees_counts_by_status_and_the_latest_failures(client, deliver):
    queue_password_changed("delivered@example.org")
    queue_password_changed("bounce@example.org")
    queue_password_changed("tempfail@example.org")
    deliver()
    insert_messages(2, recipient="waiting{n}@example.org")
    client.login(make_user(platform_admin=True))

    page = client.get("/admin/mail")

    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Email delivery</h1>' in page.text
    assert counts_shown(page.text) == {"Queued": 3, "Sending": 0, "Sent": 1, "Failed": 1, "Cancelled": 0}
    assert "bounce@example.org" in page.text
    assert "550 5.1.1 No such user here" in page.text
    assert "tempfail@example.org" in page.text
    assert "451 4.3.0 Mailbox temporarily unavailable, try again later" in page.text
    assert "Queued, next try" in page.text
    assert "delivered@example.org" not in page.text, "a delivered message is not a problem"
    assert "waiting1@example.org" not in page.text, "a message not yet tried is not a problem"


def test_with_nothing_gone_wrong_the_page_says_there_are_no_problems(client, deliver):
    queue_password_changed("delivered@example.org")
    deliver()
    client.login(make_user(platform_admin=True))

    page = client.get("/admin/mail")

    assert counts_shown(page.text) == {"Queued": 0, "Sending": 0, "Sent": 1, "Failed": 0, "Cancelled": 0}
    assert "No delivery problems." in page.text


def test_a_signed_in_person_who_is_not_a_platform_admin_is_refused(client):
    client.login(make_user())

    page = client.get("/admin/mail")

    assert page.status_code == 403
    assert "Email delivery" not in page.text


def test_an_anonymous_visitor_is_sent_to_sign_in_first(client):
    page = client.get("/admin/mail")

    assert page.status_code == 302
    assert page.headers["Location"] == "/sign-in?next=%2Fadmin%2Fmail"
    assert "Sign in to see this page." in client.get(page.headers["Location"]).text
