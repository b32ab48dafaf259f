"""Organisations: profiles, adding and editing one, members and invitations, and the platform admins' pages."""

from __future__ import annotations

from tests.every_template.tour import as_each, emailed, new_client, visit
from tests.every_template.world import World
from tests.factories import add_member, make_user

ADMINS_ONLY = {"anonymous": 302, "lead": 403, "outsider": 403, "admin": 200}


def adding_an_organisation(w: World) -> None:
    as_each(w, "/organisations/new", {"anonymous": 302, "newcomer": 200, "lead": 200}, "Add an organisation")
    visit(w.client("newcomer"), "/organisations/new?kind=vcs", heading="Add an organisation")
    visit(w.client("newcomer"), "/organisations/new?kind=spaceship", 400, "Add an organisation")
    founder, browser = make_user(), new_client()
    browser.login(founder)
    details = {"name": w.p.charity.name, "kind": "vcs", "subtype": "charity", "region": "north_east"}
    # The name is one already here: is it theirs? Then, saying it is a different one, it is added.
    visit(browser, "/organisations/new", 409, "Add an organisation", method="POST", data=details)
    visit(browser, "/organisations/new", 400, "Add an organisation", method="POST", data={"kind": "vcs"})
    visit(browser, "/organisations/new", 302, method="POST", data={**details, "name": "Wexdale Youth Club"})


def a_profile_and_editing_it(w: World) -> None:
    council = f"/organisations/{w.p.council.slug}"
    as_each(w, council, {"anonymous": 200, "member": 200, "lead": 200, "outsider": 200}, w.p.council.name)
    editing = {"anonymous": 302, "outsider": 403, "member": 403, "lead": 200}
    as_each(w, f"{council}/edit", editing, f"Edit {w.p.council.name}")
    visit(w.client("lead"), f"{council}/edit?kind=vcs", heading=f"Edit {w.p.council.name}")
    visit(w.client("lead"), f"{council}/edit", 400, f"Edit {w.p.council.name}", method="POST", data={"name": ""})
    as_each(w, f"{council}/edit/kind", editing, f"Change the kind of {w.p.council.name}")


def members_and_invitations(w: World) -> None:
    council = f"/organisations/{w.p.council.slug}"
    as_each(w, f"{council}/members", {"anonymous": 302, "outsider": 403, "member": 200, "lead": 200}, "Members")
    managing = {"anonymous": 302, "outsider": 403, "member": 403, "lead": 200}
    as_each(w, f"{council}/members/invite", managing, f"Invite someone to {w.p.council.name}")
    invite = {"email": "", "role": "editor"}
    visit(w.client("lead"), f"{council}/members/invite", 400, "Invite someone", method="POST", data=invite)
    invite["email"] = "colleague@example.org"
    visit(w.client("lead"), f"{council}/members/invite", 302, method="POST", data=invite)
    emailed("colleague@example.org", "invitation")
    jo = make_user(name="Jo Joiner")
    joining = add_member(w.p.council, jo)
    member = f"{council}/members/{joining.id}"
    as_each(w, member, managing, "Change the role of Jo Joiner")
    visit(w.client("lead"), member, 302, method="POST", data={"role": "editor"})
    emailed(jo.email, "role_changed")
    as_each(w, f"{member}/remove", managing, f"Remove Jo Joiner from {w.p.council.name}")
    visit(w.client("lead"), f"{member}/remove", 302, method="POST")
    emailed(jo.email, "member_removed")
    own = _membership_id(w)
    visit(w.client("member"), f"{council}/members/{own}/remove", heading=f"Leave {w.p.council.name}")


def _membership_id(w: World) -> int:
    import sqlalchemy as sa

    from campaigns.extensions import db
    from campaigns.organisations.models import Membership

    return db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == w.p.council_member.id, Membership.organisation_id == w.p.council.id
        )
    )


def following_an_invitation(w: World) -> None:
    link = w.invitation_link(w.invitation)
    heading = f"Invitation to join {w.p.council.name}"
    as_each(w, link, {"anonymous": 200, "newcomer": 200}, heading)
    visit(w.client("anonymous"), w.invitation_link(w.expired_invitation), heading=heading, shows="expired")
    visit(w.client("anonymous"), "/invitations/not-a-real-token", 400, "There is a problem with this link")
    browser = new_client()
    visit(browser, f"{link}/register", heading=f"Create an account to join {w.p.council.name}")
    visit(browser, f"{link}/register", 400, "Create an account to join", method="POST", data={"name": ""})
    joining = {"name": "Nia New", "password": "quietly humming orange lighthouse"}
    visit(browser, f"{link}/register", 302, method="POST", data=joining)
    emailed(w.p.council_editor.email, "invitation_answered")


def the_platform_admins_pages(w: World) -> None:
    as_each(w, "/admin/organisations", ADMINS_ONLY, "Organisations awaiting verification")
    visit(w.client("admin"), f"/organisations/{w.unverified.slug}/verify", 302, method="POST")
    emailed(w.unverified_admin.email, "organisation_verified")
    withdraw = f"/organisations/{w.p.charity.slug}/withdraw-verification"
    as_each(w, withdraw, ADMINS_ONLY, f"Withdraw verification of {w.p.charity.name}")
    visit(w.client("admin"), withdraw, 400, "Withdraw verification", method="POST", data={"reason": ""})
    merge = f"/admin/organisations/{w.duplicate.slug}/merge"
    as_each(w, merge, ADMINS_ONLY, "Merge into another organisation")
    visit(w.client("admin"), f"{merge}?into={w.p.charity.slug}", heading="Merge into another organisation")
    as_each(w, "/admin/organisations/merges", ADMINS_ONLY, "Merged organisations")
    as_each(w, "/admin/activity", ADMINS_ONLY, "Activity log")
    as_each(w, "/admin/mail", ADMINS_ONLY, "Email delivery")
    as_each(w, "/admin/privacy", ADMINS_ONLY, "Personal data: records for the data protection officer")
    activity = f"/organisations/{w.p.council.slug}/activity"
    as_each(w, activity, {"anonymous": 302, "outsider": 403, "member": 403, "lead": 200, "admin": 200}, "Activity log")


VISITS = [
    adding_an_organisation,
    a_profile_and_editing_it,
    members_and_invitations,
    following_an_invitation,
    the_platform_admins_pages,
]
