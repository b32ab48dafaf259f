"""A refusal writes nothing; a service that did something and has news for the caller returns an outcome.

The central error handler rolls back on every domain error. So a view that caught one and committed would keep
half of a refused request, and a view that did not would silently drop the email the service had queued. These
tests hold both ends: no code commits in an `except` block, the handler rolls back, and what used to be an error
with an email behind it (signing again, a failed sign-in) still reaches the outbox.
"""

from __future__ import annotations

import ast
import contextvars
from pathlib import Path

import sqlalchemy as sa

from campaigns.accounts import services as accounts
from campaigns.accounts.models import User
from campaigns.audit.models import AuditEvent
from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.http import handle_domain_error
from campaigns.outbox.models import OutboxMessage
from tests.factories import PASSWORD, make_organisation, make_user
from tests.signatures.builders import open_statement, sign

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"


def commits_in_except_blocks() -> list[str]:
    found = []
    for path in sorted(CAMPAIGNS.rglob("*.py")):
        for handler in ast.walk(ast.parse(path.read_text())):
            if isinstance(handler, ast.ExceptHandler):
                for node in ast.walk(handler):
                    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "commit":
                        found.append(f"{path.relative_to(CAMPAIGNS.parent)}:{node.lineno}")
    return found


def outbox_to(address: str) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
        )
    )


def test_no_code_commits_after_catching_an_error():
    assert commits_in_except_blocks() == []


def test_the_central_error_handler_rolls_back_what_a_refused_request_wrote(app):
    def refused_after_writing() -> tuple[str, int]:
        with app.test_request_context("/account/register", method="POST"):
            accounts.register("Half Done", "half.done@example.org", PASSWORD)
            db.session.flush()
            return handle_domain_error(Conflict("Someone changed this a moment ago."))

    page, status = contextvars.Context().run(refused_after_writing)

    assert status == 409 and "Someone changed this a moment ago." in page
    assert db.session.scalar(sa.select(User).where(User.email == "half.done@example.org")) is None
    assert outbox_to("half.done@example.org") == []


def test_a_visitor_signing_again_gets_already_signed_and_the_first_signer_an_email(client):
    p = open_statement()
    organisation = make_organisation("Hillside Tenants Group")
    sign(p.statement, organisation, signer_email="first@hillside.example.org")
    response = client.post(
        f"/s/{p.statement.slug}/sign",
        data={
            "signer_name": "Sam Second",
            "signer_role": "Treasurer",
            "email": "second@hillside.example.org",
            "organisation_name": "Hillside Tenants Group",
            "list_publicly": "y",
        },
    )
    assert response.status_code == 409
    assert "has already signed this statement: the signature is waiting to be confirmed by email." in response.text
    assert outbox_to("first@hillside.example.org")[-1] == "Someone tried to sign ‘Fund councils fairly’ again"
    assert outbox_to("second@hillside.example.org") == []


def test_a_failed_sign_in_to_send_a_kept_form_is_recorded(client):
    user = make_user()
    response = client.post(
        "/sign-in/resume",
        data={"email": user.email, "password": "not the password at all", "resume_to": "/account/name", "name": "N"},
    )
    assert response.status_code == 400
    assert "They did not match" in response.text
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert actions == ["account.sign_in_failed"]


def test_an_unconfirmed_address_signing_in_to_send_a_kept_form_gets_a_new_link(client):
    user = make_user(verified=False)
    response = client.post(
        "/sign-in/resume",
        data={"email": user.email, "password": PASSWORD, "resume_to": "/account/name", "name": "N"},
    )
    assert response.status_code == 403
    assert "You need to confirm your email address" in response.text
    assert len(outbox_to(user.email)) == 1
