"""The error page, for each refusal: not found, not allowed, a bad request, too large, too many, a wrong method."""

from __future__ import annotations

from tests.every_template.tour import as_each, new_client, visit
from tests.every_template.world import ROLES, World


def error_pages(w: World) -> None:
    as_each(w, "/no-such-page", dict.fromkeys(ROLES, 404))
    as_each(w, "/admin/mail", {"lead": 403, "newcomer": 403})
    visit(w.client("anonymous"), "/statements?topic=%00", 400, "There is a problem with your request")
    visit(w.client("anonymous"), "/", 405, "There is a problem with your request", method="DELETE")
    huge = {"email": "x" * (3 * 1024 * 1024)}
    visit(w.client("anonymous"), "/sign-in", 413, "What you sent is too large", method="POST", data=huge)
    # Asking again and again for a reset link to one address is limited (from an address of its own here).
    browser = new_client()
    browser.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    asked = {"email": "nobody.here@example.org"}
    for _ in range(5):
        visit(browser, "/account/password/forgotten", 302, method="POST", data=asked)
    visit(browser, "/account/password/forgotten", 429, "Too many attempts", method="POST", data=asked)


VISITS = [error_pages]
