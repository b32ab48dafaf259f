"""Pages anyone may read: the site's own pages, directories, a statement's public pages, its signatories."""

from __future__ import annotations

from tests.every_template.tour import as_each, visit
from tests.every_template.world import ROLES, World

EVERYONE = dict.fromkeys(ROLES, 200)


def site_pages(w: World) -> None:
    as_each(w, "/", EVERYONE, "Councils and the voluntary sector, lobbying together")
    as_each(w, "/accessibility", EVERYONE, "Accessibility statement for Common Ground")
    as_each(w, "/privacy", EVERYONE, "Privacy notice")


def directories(w: World) -> None:
    page = visit(w.client("anonymous"), "/statements", heading="Joint statements")
    assert "Fund councils fairly" in page.text and "Protect the Household Support Fund" in page.text
    visit(w.client("outsider"), "/statements?topic=growth", heading="Joint statements")  # none on this topic
    as_each(w, "/organisations", EVERYONE, "Organisations")
    visit(w.client("anonymous"), "/organisations?q=nothing+like+this", heading="Organisations")  # none found
    as_each(w, f"/organisations/{w.p.charity.slug}", EVERYONE, w.p.charity.name)
    as_each(w, "/targets", {"anonymous": 200, "admin": 200}, "Where statements are sent")
    as_each(w, f"/targets/{w.target.slug}", {"anonymous": 200, "admin": 200}, w.target.name)
    visit(w.client("anonymous"), "/statements.atom")
    visit(w.client("anonymous"), f"/targets/{w.target.slug}/replies.atom")


def statement_pages(w: World) -> None:
    title = w.p.statement.agreed_revision.title
    as_each(w, f"/s/{w.slug}", EVERYONE, title)
    as_each(w, f"/s/{w.slug}/r/1", {"anonymous": 200, "lead": 200}, title)
    as_each(w, f"/s/{w.closed.slug}", {"anonymous": 200, "outsider": 200}, "Protect the Household Support Fund")
    as_each(w, f"/s/{w.embargoed.slug}", {"anonymous": 200}, "Employment support that works")
    # A draft has no public page.
    as_each(w, f"/s/{w.draft.slug}", {"anonymous": 404, "outsider": 404})


def signatories_and_sharing(w: World) -> None:
    as_each(w, f"/s/{w.slug}/signatories", {"anonymous": 200, "outsider": 200, "lead": 200}, "Signatories")
    visit(w.client("anonymous"), f"/s/{w.slug}/signatories?kind=council&q=nobody", heading="Signatories")
    page = visit(w.client("anonymous"), f"/s/{w.embargoed.slug}/signatories", heading="Signatories")
    assert "Signing Trust" not in page.text  # before its launch nothing about signatures is public
    for slug in (w.slug, w.embargoed.slug):
        badge = visit(w.client("anonymous"), f"/s/{slug}/badge.svg")
        assert badge.mimetype == "image/svg+xml"
        visit(w.client("anonymous"), f"/s/{slug}/embed")
    visit(w.client("anonymous"), f"/s/{w.slug}/signatories.csv")


def published_updates(w: World) -> None:
    title = w.p.statement.agreed_revision.title
    as_each(w, f"/s/{w.slug}/updates", {"anonymous": 200, "outsider": 200}, title)
    as_each(w, f"/s/{w.closed.slug}/updates", {"anonymous": 200}, "Protect the Household Support Fund")  # none
    visit(w.client("anonymous"), f"/s/{w.slug}/updates/{w.sent.id}")
    visit(w.client("anonymous"), f"/s/{w.slug}/updates/{w.draft_update.id}", 404, "Page not found")
    visit(w.client("anonymous"), f"/s/{w.slug}/updates.atom")
    visit(w.client("anonymous"), f"/s/{w.slug}/replies.atom")


def verifying_a_pack(w: World) -> None:
    digest = w.submission.digest
    as_each(w, f"/verify/{digest}", {"anonymous": 200, "outsider": 200}, "This list is held by Common Ground")
    visit(w.client("anonymous"), f"/verify/{digest}.txt")
    visit(w.client("anonymous"), f"/verify/{'0' * 64}", 404, "Page not found")


VISITS = [site_pages, directories, statement_pages, signatories_and_sharing, published_updates, verifying_a_pack]
