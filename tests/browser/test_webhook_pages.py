"""The webhook pages in headless Chromium, each checked by axe-core for WCAG 2.2 AA: an organisation's admin adds an
endpoint (after a form sent back with its errors), reads its secret, and sees a delivery's answer listed."""

import pytest
from playwright.sync_api import expect

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.statements import signoff
from tests.browser.test_new_user_journey import check_page
from tests.factories import PASSWORD
from tests.statements.builders import agree, partnership
from tests.submissions.builders import AGREED_AT
from tests.support.receiver import Receiver

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_webhook_endpoint_and_sees_its_deliveries(page, backend, deliver):
    p = partnership()
    receiver = Receiver()
    receiver.start()
    name = f"{backend}-webhooks"
    try:
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(p.charity_admin.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/organisations/{p.charity.slug}")
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
        check_page(page, f"{name}-01-none")
        page.get_by_role("button", name="Add an endpoint").click()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.get_by_role("link", name="Choose at least one event")).to_be_visible()
        check_page(page, f"{name}-02-errors")
        page.get_by_label("Endpoint address").fill(receiver.url)
        page.get_by_label("A statement opens for signatures").check()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.get_by_role("heading", name="Webhook endpoint")).to_be_visible()
        page.get_by_text("Show the secret").click()
        expect(page.locator("#signing-secret")).to_contain_text("whsec_")
        check_page(page, f"{name}-03-added")

        with clock_at(AGREED_AT):
            agree(p)
            signoff.open_for_signatures(p.statement, actor=p.council_editor)
            db.session.commit()
        deliver()
        page.reload()
        expect(page.get_by_text("HTTP 204")).to_be_visible()
        expect(page.get_by_role("button", name="Send again")).to_be_visible()
        check_page(page, f"{name}-04-delivered")
    finally:
        receiver.stop()
    assert [request.payload["type"] for request in receiver.received] == ["statement.opened"]
