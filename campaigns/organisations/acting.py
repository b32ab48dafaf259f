"""The organisation a signed-in person is acting for, chosen in the header and kept in the session."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, request, session
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation
from campaigns.organisations.permissions import ROLE_PERMISSIONS, Permission

_SESSION_KEY = "acting_for"
#: The hidden field by which a form says which organisation its page was shown for (templates/macros/forms.html).
FORM_FIELD = "acting_for_id"
#: Forms a page from before a switch may still send: changing whom one acts for, and signing out.
_ANY_ORGANISATION = frozenset({"accounts.acting_for", "accounts.sign_out"})


class SwitchedOrganisation(Conflict):
    """The form was shown while acting for one organisation, and sent after switching to another."""


def my_memberships() -> list[Membership]:
    """The signed-in user's memberships, by organisation name (loaded with the user, no extra query)."""
    if not current_user.is_authenticated:
        return []
    user = current_user._get_current_object()
    if "memberships" not in sa.inspect(user).dict:
        # Signed in during this request (the user loader loads them for every later one).
        memberships = db.session.scalars(
            sa.select(Membership).where(Membership.user_id == user.id).options(joinedload(Membership.organisation))
        ).all()
        set_committed_value(user, "memberships", list(memberships))
    return sorted(user.memberships, key=lambda m: m.organisation.name.lower())


def acting_for() -> Organisation | None:
    if "acting_for" not in g:
        memberships = my_memberships()
        chosen = session.get(_SESSION_KEY)
        match = next((m for m in memberships if m.organisation_id == chosen), None)
        membership = match or (memberships[0] if memberships else None)
        g.acting_for = membership.organisation if membership else None
    return g.acting_for


def choose(organisation_id: int) -> Organisation | None:
    """Act for `organisation_id` if the user is a member of it; returns the organisation, or None."""
    match = next((m for m in my_memberships() if m.organisation_id == organisation_id), None)
    if match is None:
        return None
    session[_SESSION_KEY] = organisation_id
    g.pop("acting_for", None)
    return match.organisation


def my_organisations_where(permission: Permission) -> list[Organisation]:
    """The signed-in user's organisations in which their role grants `permission`."""
    return [m.organisation for m in my_memberships() if permission in ROLE_PERMISSIONS[m.role]]


def refuse_a_form_for_another_organisation() -> None:
    """A form shown while acting for one organisation but sent after switching to another (in another tab) would
    act, unseen, for the other: an approval given in the wrong organisation's name. Refuse it; nothing is saved."""
    if request.method != "POST" or request.endpoint in _ANY_ORGANISATION or FORM_FIELD not in request.form:
        return
    current = acting_for()
    shown_for = request.form[FORM_FIELD]
    if current is not None and shown_for == str(current.id):
        return
    page = next((m.organisation.name for m in my_memberships() if str(m.organisation_id) == shown_for), None)
    raise SwitchedOrganisation(
        f"This page was for {page or 'another organisation'}, but you have since switched to acting for "
        f"{current.name if current else 'no organisation'}, perhaps in another tab. Nothing was saved. Go back, "
        "reload the page, check whom it is for and send it again."
    )


def init_app(app: Flask) -> None:
    app.add_template_global(acting_for)  # a global: pages and the forms macro (imported without context) alike
    app.before_request(refuse_a_form_for_another_organisation)
