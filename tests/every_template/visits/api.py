"""The API: its documentation page for people, and every operation as a visitor and as people signed in (who get
exactly what a visitor gets: the API never looks at who is signed in)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from campaigns.api.models import ApiToken
from campaigns.extensions import db
from tests.every_template.tour import as_each, visit
from tests.every_template.world import ROLES, World

EVERYONE = dict.fromkeys(ROLES, 200)


def api_documentation(w: World) -> None:
    as_each(w, "/api", EVERYONE, "Common Ground API")


def public_api(w: World) -> None:
    for role in ("anonymous", "outsider", "lead"):
        client = w.client(role)
        visit(client, "/api/v1/")
        visit(client, "/api/v1/openapi.json")
        visit(client, "/api/v1/statements")
        for path in (
            "",
            "/signatories",
            "/counts",
            "/submissions",
            f"/revisions/{w.p.statement.agreed_revision.number}",
        ):
            visit(client, f"/api/v1/statements/{w.slug}{path}")
        visit(client, f"/api/v1/statements/{w.draft.slug}", 404)
        embargoed = visit(client, f"/api/v1/statements/{w.embargoed.slug}/signatories")
        assert embargoed.get_json()["items"] == []
        visit(client, "/api/v1/targets")
        visit(client, f"/api/v1/targets/{w.target.slug}")
        visit(client, f"/api/v1/organisations/{w.p.charity.slug}")
        visit(client, "/api/v1/organisations?kind=vcs&limit=1")


def api_tokens(w: World) -> None:
    """The co-author's admin makes a token (shown once), a program reads with it, and the admin revokes it."""
    tokens = f"/organisations/{w.p.charity.slug}/api-tokens"
    as_each(w, tokens, {"anonymous": 302, "outsider": 403, "coauthor": 403, "coauthor_admin": 200}, "API tokens")
    admin = w.client("coauthor_admin")
    visit(admin, tokens, 400, "API tokens", method="POST", data={"name": ""})
    data = {"name": "CRM sync", "scopes": ["contacts", "submissions"]}
    made = visit(admin, tokens, 200, "Your new API token", method="POST", data=data)
    found = re.search(r'id="api-token">([^<]+)<', made.text)
    assert found is not None
    program = w.client("anonymous")
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    visit(program, "/api/v1/private/submissions", headers=bearer)
    visit(program, f"/api/v1/private/statements/{w.slug}/contacts", headers=bearer)
    visit(program, "/api/v1/private/submissions", 401)
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.name == "CRM sync")).one()
    visit(admin, f"{tokens}/{token.id}/revoke", 302, method="POST")
    visit(admin, tokens, 200, "API tokens", shows="Revoked")


VISITS = [api_documentation, public_api, api_tokens]
