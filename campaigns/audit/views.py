"""The activity log: an organisation's own for its admins, everything for platform admins."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from campaigns.audit import queries
from campaigns.audit.blueprint import bp
from campaigns.http import id_arg
from campaigns.organisations import queries as organisation_queries
from campaigns.organisations.permissions import Permission, require, require_platform_admin


@bp.get("/organisations/<slug>/activity")
@login_required
def organisation_log(slug: str) -> str:
    organisation = organisation_queries.organisation_by_slug(slug)
    if not current_user.is_platform_admin:  # platform admins see every activity log
        require(current_user, organisation, Permission.VIEW_AUDIT_LOG)
    events, next_before = queries.page(id_arg("before"), organisation_id=organisation.id)
    return render_template("audit/log.html", organisation=organisation, events=events, next_before=next_before)


@bp.get("/admin/activity")
@login_required
def platform_log() -> str:
    require_platform_admin(current_user)
    events, next_before = queries.page(id_arg("before"))
    return render_template("audit/log.html", organisation=None, events=events, next_before=next_before)
