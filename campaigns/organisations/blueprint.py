"""The organisations blueprint: directory, profiles, members, invitations, verification and merging."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from campaigns.organisations.emails import invitation_token
from campaigns.organisations.forms import SUBTYPE_HINTS
from campaigns.organisations.models import OrganisationKind, Role
from campaigns.organisations.permissions import Permission, can

bp = Blueprint("organisations", __name__)
bp.add_app_template_global(invitation_token)
bp.add_app_template_global(can)
bp.add_app_template_global(Permission, "Permission")


@bp.record_once
def _template_names(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(
        SUBTYPE_HINTS=SUBTYPE_HINTS,
        KIND_NAMES={kind.value: kind.label for kind in OrganisationKind},
        ROLES=list(Role),
    )
