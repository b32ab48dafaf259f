"""The API: its documentation page for people, and every operation as a visitor and as people signed in (who get
exactly what a visitor gets: the API never looks at who is signed in)."""

from __future__ import annotations

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


VISITS = [api_documentation, public_api]
