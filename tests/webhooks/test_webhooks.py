"""Webhooks as a customer's system gets them: a real HTTP receiver, each event once, signed; retries, turning off a
failing endpoint, "send again", the admins' pages, and addresses refused in production (SSRF)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.mailings import services as mailings
from campaigns.outbox.models import OutboxStatus
from campaigns.signatures import services as signatures
from campaigns.signatures.emails import signature_token
from campaigns.statements import signoff
from campaigns.submissions import services as submissions
from campaigns.submissions.models import ResponseKind
from campaigns.submissions.services import ResponseDetails
from campaigns.webhooks import services
from campaigns.webhooks.addresses import RefusedAddress, is_public, resolve
from campaigns.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from campaigns.webhooks.services import EndpointDetails
from tests.mailings.builders import update
from tests.signatures.builders import confirmed, signing_organisation
from tests.statements.builders import Partnership, agree, partnership
from tests.submissions.builders import AGREED_AT, make_target, send
from tests.support.receiver import Receiver

EVERY_EVENT = frozenset(WebhookEvent)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()


def endpoint_for(p: Partnership, url: str, events: frozenset[WebhookEvent] = EVERY_EVENT) -> WebhookEndpoint:
    endpoint = services.register_endpoint(p.charity, EndpointDetails(url, events), actor=p.charity_admin)
    db.session.commit()
    return endpoint


def opened(p: Partnership) -> None:
    with clock_at(AGREED_AT):
        agree(p)
        signoff.open_for_signatures(p.statement, actor=p.council_editor)
        db.session.commit()


def test_each_event_reaches_the_receiver_once_and_signed(app, receiver, deliver):
    p = partnership()
    endpoint = endpoint_for(p, receiver.url)
    opened(p)
    trust, signer = signing_organisation("Riverside Trust")
    withdrawn = confirmed(p.statement, trust, signer)
    signatures.withdraw_by_link(signature_token(withdrawn, "withdraw"), p.statement, reason="Board decision")
    db.session.commit()
    bank, banker = signing_organisation("Food Bank Two")
    confirmed(p.statement, bank, banker, wants_updates=True)
    [submission] = send(p, make_target("HM Treasury"))
    submissions.record_response(
        submission,
        ResponseDetails(ResponseKind.FULL, date(2026, 11, 20), "Minister", "We will look at it.", is_public=True),
        actor=p.council_editor,
        today=date(2026, 11, 25),
    )
    mailings.send(update(p), actor=p.council_editor)
    signoff.close(p.statement, actor=p.council_editor)
    db.session.commit()

    deliver()
    deliver()  # nothing is sent twice

    types = Counter(request.payload["type"] for request in receiver.received)
    assert types == {
        "statement.agreed": 1,
        "statement.opened": 1,
        "signature.confirmed": 2,
        "signature.withdrawn": 1,
        "submission.sent": 1,
        "reply.logged": 1,
        "update.sent": 1,
        "statement.closed": 1,
    }
    assert len({request.id for request in receiver.received}) == len(receiver.received), "each event once"
    for request in receiver.received:
        assert request.path == "/hooks/common-ground"
        assert request.signed_with(endpoint.secret), f"{request.payload['type']} is signed with the endpoint's secret"
        assert not request.signed_with(services.signing.new_secret())
        assert request.headers["content-type"] == "application/json"
        assert request.payload["data"]["statement"]["slug"] == p.statement.slug
        assert request.payload["timestamp"].endswith("Z")
        assert b"@example" not in request.body, "no signer's email address is ever sent"
    by_type = {request.payload["type"]: request.payload["data"] for request in receiver.received}
    assert by_type["signature.withdrawn"]["signature"]["organisation"]["name"] == "Riverside Trust"
    assert by_type["reply.logged"]["reply"]["summary"] == "We will look at it."
    assert by_type["submission.sent"]["submission"]["target"]["name"] == "HM Treasury"
    assert all(d.status == OutboxStatus.SENT for d in db.session.scalars(sa.select(WebhookDelivery)))


def test_an_endpoint_of_an_organisation_that_does_not_own_the_statement_hears_nothing(app, receiver, deliver):
    p = partnership()
    other = partnership()
    endpoint_for(other, receiver.url)
    opened(p)
    deliver()
    assert receiver.received == []


def test_a_failing_endpoint_is_retried_later_then_turned_off_and_its_admins_emailed(app, client, receiver, deliver):
    p = partnership()
    endpoint = endpoint_for(p, receiver.url, frozenset({WebhookEvent.STATEMENT_OPENED}))
    receiver.status, receiver.answer = 500, b"Internal error: database down"
    opened(p)

    before = utcnow()
    deliver()

    [delivery] = db.session.scalars(sa.select(WebhookDelivery)).all()
    assert delivery.status == OutboxStatus.QUEUED and delivery.attempts == 1
    assert delivery.next_attempt_at >= before + timedelta(seconds=60), "tried again after a backoff, not at once"
    [attempt] = db.session.scalars(sa.select(WebhookAttempt)).all()
    assert (attempt.status_code, attempt.succeeded) == (500, False)
    assert attempt.response_excerpt == "Internal error: database down"
    db.session.refresh(endpoint)
    assert endpoint.failing_since is not None and endpoint.is_enabled
    client.login(p.charity_admin)
    shown = client.get(f"/organisations/{p.charity.slug}/webhooks/{endpoint.id}").text
    page = " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    assert "Failed, trying again 1 attempt; the next at about " in page and "HTTP 500" in page

    # A day later, still failing: the next failure turns it off.
    endpoint.failing_since = utcnow() - timedelta(hours=25)
    delivery.next_attempt_at = utcnow()
    db.session.commit()
    messages = deliver()

    db.session.refresh(endpoint)
    assert not endpoint.is_enabled and "Every delivery failed from" in endpoint.disabled_reason
    assert [m.recipients for m in messages if "turned off" in m.subject] == [[p.charity_admin.email]]
    assert len(receiver.received) == 2
    deliver()
    assert len(receiver.received) == 2, "nothing more is sent to an endpoint that is off"


def test_send_again_delivers_the_same_event_with_the_same_id_and_body(app, client, receiver, deliver):
    p = partnership()
    endpoint = endpoint_for(p, receiver.url)
    opened(p)
    deliver()
    first = receiver.received[0]
    delivery = db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).first()
    slug = p.charity.slug

    client.login(p.charity_admin)
    page = client.get(f"/organisations/{slug}/webhooks/{endpoint.id}")
    assert page.status_code == 200 and "HTTP 204" in page.text and delivery.event_id in page.text
    response = client.post(f"/organisations/{slug}/webhooks/{endpoint.id}/deliveries/{delivery.id}/send-again")
    assert response.status_code == 302
    deliver()

    again = [request for request in receiver.received if request.id == first.id]
    assert len(again) == 2 and again[0].body == again[1].body
    assert again[1].signed_with(endpoint.secret)


def test_an_admin_adds_an_endpoint_and_sees_its_secret_and_no_one_else_may(app, client, receiver):
    p = partnership()
    slug = p.charity.slug
    client.login(p.charity_editor)
    assert client.get(f"/organisations/{slug}/webhooks").status_code == 403
    client.logout()

    client.login(p.charity_admin)
    assert "has no webhook endpoints yet" in client.get(f"/organisations/{slug}/webhooks").text
    refused = client.post(f"/organisations/{slug}/webhooks/new", data={"url": receiver.url})
    assert refused.status_code == 400 and "Choose at least one event" in refused.text
    added = client.post(
        f"/organisations/{slug}/webhooks/new",
        data={"url": receiver.url, "description": "Our CRM", "events": ["signature.confirmed", "reply.logged"]},
    )
    assert added.status_code == 302
    endpoint = db.session.scalars(sa.select(WebhookEndpoint)).one()
    assert endpoint.events == ["reply.logged", "signature.confirmed"]
    page = client.get(added.headers["Location"])
    assert endpoint.secret in page.text and endpoint.secret.startswith("whsec_")
    assert "Our CRM" in client.get(f"/organisations/{slug}/webhooks").text

    assert client.post(f"/organisations/{slug}/webhooks/{endpoint.id}/enabled").status_code == 302
    db.session.refresh(endpoint)
    assert not endpoint.is_enabled
    assert client.post(f"/organisations/{slug}/webhooks/{endpoint.id}/remove").status_code == 302
    assert db.session.scalars(sa.select(WebhookEndpoint)).all() == []


@pytest.fixture
def production_addresses(app):
    """As in production: only public https:// addresses."""
    app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    yield
    app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = True


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://crm.example.org/hook", "must start with https://"),
        ("https://127.0.0.1/hook", "resolves to 127.0.0.1"),
        ("https://localhost:8443/hook", "a loopback, private or link-local address"),
        ("https://[::1]/hook", "resolves to ::1"),
        ("https://10.1.2.3/hook", "resolves to 10.1.2.3"),
        ("https://192.168.0.10/hook", "resolves to 192.168.0.10"),
        ("https://169.254.169.254/latest/meta-data", "resolves to 169.254.169.254"),
        ("https://[::ffff:127.0.0.1]/hook", "resolves to ::ffff:127.0.0.1"),
        ("https://user:pass@crm.example.org/hook", "Leave the user name and password out"),
        ("ftp://crm.example.org/", "must start with https://"),
    ],
)
def test_in_production_private_and_malformed_addresses_are_refused_at_registration(
    app, client, production_addresses, url, says
):
    p = partnership()
    client.login(p.charity_admin)
    refused = client.post(
        f"/organisations/{p.charity.slug}/webhooks/new", data={"url": url, "events": ["statement.opened"]}
    )
    assert refused.status_code == 400 and says in refused.text
    assert db.session.scalars(sa.select(WebhookEndpoint)).all() == []


def test_in_production_an_address_is_checked_again_at_delivery_after_resolving_it(
    app, receiver, deliver, production_addresses
):
    app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = True
    p = partnership()
    endpoint_for(p, receiver.url)  # accepted in development
    app.config["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    opened(p)

    deliver()

    assert receiver.received == [], "no request reached the private address"
    attempt = db.session.scalars(sa.select(WebhookAttempt)).first()
    assert attempt.status_code is None and "Not sent" in attempt.response_excerpt


def test_public_addresses_are_told_apart_from_private_ones():
    assert is_public("93.184.215.14") and is_public("2606:4700::1111")
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "::ffff:10.0.0.1",
    ):
        assert not is_public(address), address
    with pytest.raises(RefusedAddress):
        resolve("https://127.0.0.1/", allow_private=False)
    assert resolve("http://127.0.0.1:8080/x?y=1", allow_private=True).path == "/x?y=1"


def test_after_a_rotation_deliveries_verify_with_either_secret_for_the_grace_period_then_only_the_new_one(
    app, receiver, deliver
):
    p = partnership()
    events = frozenset({WebhookEvent.STATEMENT_OPENED})
    recent, earlier = (
        endpoint_for(p, receiver.url + "?recent", events),
        endpoint_for(p, receiver.url + "?earlier", events),
    )
    recent_old, earlier_old = recent.secret, earlier.secret
    with clock_at(utcnow() - timedelta(hours=23)):  # inside the 24 hours' grace
        recent_new = services.rotate_secret(recent, p.charity, actor=p.charity_admin)
    with clock_at(utcnow() - timedelta(hours=25)):  # past it
        earlier_new = services.rotate_secret(earlier, p.charity, actor=p.charity_admin)
    db.session.commit()
    assert recent_new != recent_old and recent_new.startswith("whsec_")

    opened(p)
    deliver()

    by_path = {request.path: request for request in receiver.received}
    during = by_path["/hooks/common-ground?recent"]
    assert during.signed_with(recent_new) and during.signed_with(recent_old), "either secret checks out"
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert not during.signed_with(services.signing.new_secret())
    after = by_path["/hooks/common-ground?earlier"]
    assert after.signed_with(earlier_new) and not after.signed_with(earlier_old), "only the new secret, after"
    assert len(after.headers["webhook-signature"].split(" ")) == 1


def test_only_an_admin_may_rotate_a_secret_and_the_new_one_is_shown_and_logged(app, client, receiver):
    p = partnership()
    endpoint = endpoint_for(p, receiver.url)
    old = endpoint.secret
    path = f"/organisations/{p.charity.slug}/webhooks/{endpoint.id}/rotate-secret"
    outsider = partnership().charity_admin  # an admin, of another organisation
    for person in (outsider, p.charity_editor):
        client.login(person)
        assert client.post(path).status_code == 403
        client.logout()
        db.session.refresh(endpoint)
        assert (endpoint.secret, endpoint.previous_secret, endpoint.previous_secret_expires_at) == (old, None, None)

    client.login(p.charity_admin)
    rotated = client.post(path)
    assert rotated.status_code == 302
    db.session.refresh(endpoint)
    assert endpoint.secret != old and endpoint.previous_secret == old
    page = client.get(rotated.headers["Location"])
    assert "The endpoint has a new signing secret" in page.text and endpoint.secret in page.text
    assert old not in page.text, "the old secret is not shown again"
    assert "signed with the previous secret as well" in page.text
    activity = client.get(f"/organisations/{p.charity.slug}/activity")
    assert "Rotated the signing secret of a webhook endpoint" in activity.text
