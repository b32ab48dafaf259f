"""Personal data: deleting one's own account, and a platform admin deleting one for someone."""

from __future__ import annotations

from tests.every_template.tour import as_each, new_client, visit
from tests.every_template.world import World
from tests.factories import PASSWORD, make_organisation, make_user


def deleting_an_account(w: World) -> None:
    as_each(w, "/account/delete", {"anonymous": 302, "member": 200, "newcomer": 200}, "Delete your account")
    as_each(w, "/admin/accounts/delete", {"anonymous": 302, "member": 403, "admin": 200}, "Delete someone's account")
    person, browser = make_user(), new_client()
    browser.login(person)
    visit(browser, "/account/delete", 400, "Delete your account", method="POST", data={"password": "not it"})
    visit(browser, "/account/delete", 302, method="POST", data={"password": PASSWORD})
    # An organisation's only admin is told to appoint another first; a platform admin can delete it for them.
    only_admin, browser = make_user(), new_client()
    make_organisation(admin=only_admin)
    browser.login(only_admin)
    visit(browser, "/account/delete", 409, "Delete your account", method="POST", data={"password": PASSWORD})
    missing = {"email": "nobody-here@example.org"}
    visit(w.client("admin"), "/admin/accounts/delete", 400, "Delete someone's account", method="POST", data=missing)
    visit(w.client("admin"), "/admin/accounts/delete", 302, method="POST", data={"email": only_admin.email})


VISITS = [deleting_an_account]
