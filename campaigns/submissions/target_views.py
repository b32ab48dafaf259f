"""The targets: the directory of bodies statements are sent to, each target's public record, and adding, editing
and retiring them (platform admins)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from campaigns.caching import public_page
from campaigns.extensions import db
from campaigns.organisations.permissions import require_platform_admin
from campaigns.statements.permissions import require_visible
from campaigns.submissions import queries, targets
from campaigns.submissions.blueprint import bp
from campaigns.submissions.forms import RetireForm, TargetForm
from campaigns.submissions.models import TargetKind
from campaigns.submissions.targets import TargetDetails


def target_details(form: TargetForm, kind: TargetKind) -> TargetDetails:
    return TargetDetails(
        kind=kind,
        name=form.name.data,
        short_name=form.short_name.data or "",
        website=form.website.data or "",
        contact_email=form.contact_email.data or "",
        postal_address=form.postal_address.data or "",
        notes=form.notes.data or "",
    )


@bp.get("/targets")
@public_page()
def directory() -> str:
    is_admin = current_user.is_authenticated and current_user.is_platform_admin
    return render_template(
        "submissions/targets.html", targets=queries.directory(include_retired=is_admin), is_admin=is_admin
    )


@bp.route("/targets/new", methods=["GET", "POST"])
@login_required
def new_target() -> object:
    require_platform_admin(current_user)
    form = TargetForm()
    if not form.validate_on_submit():
        return render_template("submissions/target_form.html", form=form, heading="Add a target"), (
            400 if form.is_submitted() else 200
        )
    target = targets.create_target(target_details(form, TargetKind(form.kind.data)), actor=current_user)
    db.session.commit()
    flash(f"{target.name} has been added.")
    return redirect(url_for("submissions.directory"))


@bp.route("/targets/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_target(slug: str) -> object:
    require_platform_admin(current_user)
    target = queries.target_by_slug(slug)
    form = TargetForm(obj=target if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = target.kind.value
    if not form.validate_on_submit():
        return render_template(
            "submissions/target_form.html", form=form, heading=f"Edit {target.name}", target=target
        ), (400 if form.is_submitted() else 200)
    targets.update_target(target, target_details(form, TargetKind(form.kind.data)), actor=current_user)
    db.session.commit()
    flash(f"{target.name} has been saved.")
    return redirect(url_for("submissions.target", slug=target.slug))


@bp.post("/targets/<slug>/retire")
@login_required
def retire_target(slug: str) -> object:
    require_platform_admin(current_user)
    target = queries.target_by_slug(slug)
    if not RetireForm().validate_on_submit():
        abort(400)
    targets.retire_target(target, actor=current_user, retire=not target.is_retired)
    db.session.commit()
    flash(f"{target.name} has been {'retired' if target.is_retired else 'restored'}.")
    return redirect(url_for("submissions.target", slug=target.slug))


@bp.get("/targets/<slug>")
@public_page()
def target(slug: str) -> str:
    target = queries.target_by_slug(slug)
    if target.statement is not None and not target.statement.is_published:
        require_visible(current_user, target.statement)
    return render_template(
        "submissions/target.html",
        target=target,
        record=queries.target_record(target),
        is_admin=current_user.is_authenticated and current_user.is_platform_admin,
    )
