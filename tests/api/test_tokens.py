"""Organisation API tokens: an admin makes a named, scoped token (shown once, kept only as a hash), sees when it
was last used and revokes it; a program reads its organisation's private data with it, and nothing else; every use
is in the activity log, and a refused request writes nothing."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from campaigns.api.models import ApiToken
from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations import services as organisation_services
from campaigns.organisations.models import Membership, Role
from tests.factories import add_member, make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, signing_organisation
from tests.statements.builders import start_statement
from tests.submissions.builders import private_reply_with_a_file

PROBLEM = "application/problem+json"
_SECRET = re.compile(r'<code class="app-preserve-lines govuk-!-text-break-word" id="api-token">([^<]+)</code>')


def make_token(client, p, name="CRM sync", scopes=("contacts", "submissions")) -> str:
    """As the charity's admin: make a token on the page, and read it from the page it is shown on."""
    client.login(p.charity_admin)
    page = client.post(f"/organisations/{p.charity.slug}/api-tokens", data={"name": name, "scopes": list(scopes)})
    assert page.status_code == 200 and "Your new API token" in page.text
    return _SECRET.search(page.text).group(1)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def uses() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api_token.used")))


def test_a_token_is_shown_once_and_kept_only_as_a_hash(client):
    p = open_statement()
    secret = make_token(client, p)
    assert secret.startswith("cg_") and len(secret) > 40
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert secret not in repr(stored.__dict__) and stored.token_hash != secret and len(stored.token_hash) == 64
    listing = client.get(f"/organisations/{p.charity.slug}/api-tokens")
    assert "CRM sync" in listing.text and secret not in listing.text and "Never" in listing.text
    assert listing.headers["Cache-Control"] == "private, no-store"


def test_only_an_admin_of_the_organisation_manages_its_tokens(client):
    p = open_statement()
    client.login(p.charity_editor)
    assert client.get(f"/organisations/{p.charity.slug}/api-tokens").status_code == 403
    refused = client.post(f"/organisations/{p.charity.slug}/api-tokens", data={"name": "x", "scopes": ["contacts"]})
    assert refused.status_code == 403
    assert db.session.scalars(sa.select(ApiToken)).all() == []


def test_a_token_reads_its_organisations_submissions_with_private_replies_and_each_use_is_logged(client):
    p = open_statement()
    private_reply_with_a_file(p.statement)
    secret = make_token(client, p)
    client.logout()
    response = client.get("/api/v1/private/submissions", headers=bearer(secret))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    (submission,) = response.get_json()["items"]
    assert submission["private_replies"][0]["summary"] == "Not for publication: the minister's private view."
    (use,) = uses()
    assert use.organisation_id == p.charity.id and use.detail["reading"] == "/api/v1/private/submissions"
    client.login(p.charity_admin)
    assert "Never" not in client.get(f"/organisations/{p.charity.slug}/api-tokens").text  # last used: now


def test_contacts_are_given_only_where_the_signer_agreed_to_be_contacted_by_that_organisation(client):
    p = open_statement()
    agreed, agreed_signatory = signing_organisation("Open Trust")
    confirmed(p.statement, agreed, agreed_signatory, may_contact=frozenset({p.charity.id}))
    other, other_signatory = signing_organisation("Private Trust")
    confirmed(p.statement, other, other_signatory, may_contact=frozenset({p.council.id}))
    secret = make_token(client, p, scopes=("contacts",))
    page = client.get(f"/api/v1/private/statements/{p.statement.slug}/contacts", headers=bearer(secret))
    by_name = {item["organisation"]["name"]: item for item in page.get_json()["items"]}
    assert by_name["Open Trust"]["email"] == agreed_signatory.email and by_name["Open Trust"]["may_contact"]
    assert by_name["Private Trust"]["email"] is None
    assert other_signatory.email not in page.get_data(as_text=True)


def test_refusals_are_problem_details_and_write_nothing(client):
    p = open_statement()
    secret = make_token(client, p, scopes=("contacts",))
    client.logout()
    stranger = make_user()
    elsewhere = start_statement(stranger, make_organisation("Elsewhere Trust", admin=stranger))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    missing = client.get("/api/v1/private/submissions")
    assert missing.status_code == 401 and missing.mimetype == PROBLEM
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/private/submissions", headers=bearer("cg_made-up")).status_code == 401
    wrong_scope = client.get("/api/v1/private/submissions", headers=bearer(secret))
    assert wrong_scope.status_code == 403 and json.loads(wrong_scope.data)["status"] == 403
    not_ours = client.get(f"/api/v1/private/statements/{elsewhere.slug}/contacts", headers=bearer(secret))
    assert not_ours.status_code == 404 and not_ours.mimetype == PROBLEM
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert uses() == []


def test_a_revoked_token_stops_working_at_once(client):
    p = open_statement()
    secret = make_token(client, p)
    token = db.session.scalars(sa.select(ApiToken)).one()
    revoked = client.post(f"/organisations/{p.charity.slug}/api-tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert client.get("/api/v1/private/submissions", headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get(f"/organisations/{p.charity.slug}/api-tokens").text
    outsider = make_user()
    make_organisation("Elsewhere Trust", admin=outsider)
    client.login(outsider)
    assert client.post(f"/organisations/{p.charity.slug}/api-tokens/{token.id}/revoke").status_code == 403


def test_a_token_stops_working_when_whoever_made_it_is_no_longer_an_admin(client):
    p = open_statement()
    secret = make_token(client, p)
    assert client.get("/api/v1/private/submissions", headers=bearer(secret)).status_code == 200
    other_admin = add_member(p.charity, role=Role.ADMIN).user
    maker = db.session.scalar(
        sa.select(Membership).where(
            Membership.user_id == p.charity_admin.id, Membership.organisation_id == p.charity.id
        )
    )
    organisation_services.remove_member(maker, actor=other_admin)  # they still know the secret
    db.session.commit()

    refused = client.get("/api/v1/private/submissions", headers=bearer(secret))
    assert refused.status_code == 401 and refused.mimetype == PROBLEM
    assert "whoever made it is no longer an admin" in json.loads(refused.data)["detail"]
    client.login(other_admin)
    listed = client.get(f"/organisations/{p.charity.slug}/api-tokens").text
    assert "Stopped" in listed and "whoever made it is no longer an admin here" in listed
