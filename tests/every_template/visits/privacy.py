"""Personal data: deleting one's own account, and a platform admin deleting one for someone."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.privacy import exports
from campaigns.privacy.models import DataExport
from tests.every_template.tour import as_each, emailed_link, new_client, visit
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


def downloading_data(w: World) -> None:
    as_each(w, "/account/data", {"anonymous": 302, "member": 200, "newcomer": 200}, "Your data")
    person, browser = make_user(), new_client()
    browser.login(person)
    visit(browser, "/account/data", 302, method="POST")
    visitor = new_client()
    visit(visitor, "/data/request", heading="Get a copy of your data")
    visit(visitor, "/data/request", 400, "Get a copy of your data", method="POST", data={"email": "not an address"})
    visit(visitor, "/data/request", 302, method="POST", data={"email": "visitor@example.org"})
    visit(visitor, "/data/requested", heading="Check your email")
    db.session.commit()
    exports.deliver_due(worker="tour")  # what the mail worker does after each batch of email
    visit(browser, "/account/data", heading="Your data")
    mine = db.session.scalar(sa.select(DataExport.id).where(DataExport.user_id == person.id))
    visit(browser, f"/account/data/{mine}/download", method="POST")
    link = emailed_link("visitor@example.org", "data_export_ready", "/data/")
    visit(visitor, link, heading="Download your data")
    visit(visitor, link, method="POST")
    visit(visitor, link, 400, "There is a problem with this link")


VISITS = [deleting_an_account, downloading_data]
