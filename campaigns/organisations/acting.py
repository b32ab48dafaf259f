"""The organisation a signed-in person is acting for, chosen in the header and kept in the session."""

from __future__ import annotations

from flask import g, session
from flask_login import current_user

from campaigns.organisations.models import Membership, Organisation

_SESSION_KEY = "acting_for"


def my_memberships() -> list[Membership]:
    """The signed-in user's memberships, by organisation name (loaded with the user, no extra query)."""
    if not current_user.is_authenticated:
        return []
    return sorted(current_user.memberships, key=lambda m: m.organisation.name.lower())


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
