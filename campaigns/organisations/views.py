"""Organisation pages: directory, profiles, members, invitations and verification."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.accounts import services as accounts
from campaigns.accounts.forms import RegisterForm
from campaigns.accounts.sessions import start_session
from campaigns.errors import DomainError, InvalidLink
from campaigns.extensions import db
from campaigns.forms import ConfirmForm, normalised_email
from campaigns.http import id_arg
from campaigns.organisations import merge_views, queries, registers, services  # noqa: F401  (merge pages)
from campaigns.organisations.adding import SameName, create_organisation
from campaigns.organisations.blueprint import bp
from campaigns.organisations.forms import (
    DirectoryFilterForm,
    InviteForm,
    KindForm,
    OrganisationForm,
    RoleForm,
    WithdrawVerificationForm,
    kind_from,
    saved_values,
)
from campaigns.organisations.matching import likely_matches
from campaigns.organisations.models import Organisation, Role
from campaigns.organisations.permissions import Permission, can, membership_of, require, require_platform_admin
from campaigns.organisations.services import NameTaken, NumberTaken
from campaigns.pages import render_form


@bp.get("/organisations")
def directory() -> tuple[str, int]:
    form = DirectoryFilterForm(request.args)
    page = queries.directory(
        q=" ".join((form.q.data or "").split())[:100],
        kind=form.kind.data or "",
        region=form.region.data or "",
        after=id_arg("after"),
    )
    return render_template("organisations/directory.html", form=form, page=page), 200


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    kind = kind_from(request.form.get("kind") if request.method == "POST" else request.args.get("kind"))
    if kind is None:
        # First, one question: what kind of organisation. Its answer decides the questions that follow.
        kind_form = KindForm(request.args)
        status = 400 if "kind" in request.args else 200
        if status == 400:
            kind_form.validate()
        return render_template(
            "organisations/choose_kind.html", form=kind_form, action=url_for("organisations.create")
        ), status
    form = OrganisationForm().for_kind(kind)
    if not form.validate_on_submit():
        return render_form("organisations/create.html", form)
    matches = likely_matches(form.name.data)
    try:
        organisation = create_organisation(
            form.to_profile(), actor=current_user, distinct_from=matches if request.form.get("different") else None
        )
    except SameName as same:
        db.session.rollback()
        form.name.errors = ["Say whether your organisation is one of those already on Common Ground"]
        return render_form("organisations/create.html", form, status=409, matches=same.matches)
    except NumberTaken as taken:
        db.session.rollback()
        form[taken.field].errors = [taken.message]
        return render_form("organisations/create.html", form, status=409)
    registers.refresh(organisation)  # the official name and status, when a register's API key is set
    db.session.commit()
    flash(
        f"{organisation.name} has been added. You are its admin. A platform administrator will verify it soon.",
        "success",
    )
    return redirect(url_for("organisations.show", slug=organisation.slug))


@bp.get("/organisations/<slug>")
def show(slug: str) -> str | Response:
    organisation = queries.organisation_by_slug(slug)
    if organisation.merged_into_id is not None:
        kept = db.session.get(Organisation, organisation.merged_into_id)
        if kept is not None:
            flash(f"{organisation.name} has been merged into {kept.name}.", "info")
            return redirect(url_for("organisations.show", slug=kept.slug), 301)
    return render_template(
        "organisations/show.html", organisation=organisation, membership=membership_of(current_user, organisation)
    )


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_PROFILE)
    if request.method == "GET":
        form = OrganisationForm.for_organisation(organisation, kind_from(request.args.get("kind")))
    else:
        form = OrganisationForm()
    form.for_kind(form.chosen_kind or organisation.kind)
    if not form.validate_on_submit():
        return render_form("organisations/edit.html", form, organisation=organisation)
    try:
        services.update_profile(
            organisation, form.to_profile(), actor=current_user, based_on_version=int(form.version.data or 0)
        )
    except (NameTaken, NumberTaken) as taken:
        db.session.rollback()
        form[taken.field].errors = [taken.message]
        return render_form("organisations/edit.html", form, status=409, organisation=organisation)
    except services.EditConflict as conflict:
        # Keep everything they typed; the form now carries the latest version, so saving again is deliberate.
        form.version.data = str(conflict.organisation.version)
        return render_form(
            "organisations/edit.html",
            form,
            status=409,
            organisation=organisation,
            conflict=conflict,
            conflict_rows=saved_values(conflict.organisation, conflict.changed),
        )
    registers.refresh(organisation)
    db.session.commit()
    flash("The organisation’s profile has been saved.", "success")
    return redirect(url_for("organisations.show", slug=organisation.slug))


@bp.get("/organisations/<slug>/edit/kind")
@login_required
def change_kind(slug: str) -> str:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_PROFILE)
    form = KindForm(data={"kind": organisation.kind.value})
    return render_template(
        "organisations/choose_kind.html",
        form=form,
        organisation=organisation,
        action=url_for("organisations.edit", slug=organisation.slug),
    )


@bp.get("/organisations/<slug>/members")
@login_required
def members(slug: str) -> str:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.VIEW_MEMBERS)
    return render_template(
        "organisations/members.html",
        organisation=organisation,
        members=queries.members_of(organisation),
        invitations=queries.open_invitations_of(organisation)
        if can(current_user, organisation, Permission.MANAGE_MEMBERS)
        else [],
        form=ConfirmForm(),
    )


@bp.route("/organisations/<slug>/members/invite", methods=["GET", "POST"])
@login_required
def invite(slug: str) -> str | Response | tuple[str, int]:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    form = InviteForm()
    if not form.validate_on_submit():
        return render_form("organisations/invite.html", form, organisation=organisation)
    try:
        invitation = services.invite(
            organisation, normalised_email(form.email), Role(form.role.data), actor=current_user
        )
    except DomainError as error:
        form.email.errors.append(error.message)
        return render_form("organisations/invite.html", form, status=error.status_code, organisation=organisation)
    db.session.commit()
    flash(f"We have emailed an invitation to {invitation.email}.", "success")
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.post("/organisations/<slug>/invitations/<id:invitation_id>/resend")
@login_required
def resend_invitation(slug: str, invitation_id: int) -> Response:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    invitation = queries.invitation_in(organisation, invitation_id)
    services.resend_invitation(invitation, actor=current_user)
    db.session.commit()
    flash(f"We have emailed the invitation to {invitation.email} again. It now works for another 14 days.", "success")
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.post("/organisations/<slug>/invitations/<id:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int) -> Response:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    invitation = queries.invitation_in(organisation, invitation_id)
    services.revoke_invitation(invitation, actor=current_user)
    db.session.commit()
    flash(f"The invitation to {invitation.email} has been cancelled.", "success")
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.route("/organisations/<slug>/members/<id:membership_id>", methods=["GET", "POST"])
@login_required
def member(slug: str, membership_id: int) -> str | Response | tuple[str, int]:
    organisation = queries.organisation_by_slug(slug)
    require(current_user, organisation, Permission.MANAGE_MEMBERS)
    membership = queries.membership_in(organisation, membership_id)
    form = RoleForm(data={"role": membership.role.value} if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_form("organisations/member.html", form, organisation=organisation, membership=membership)
    try:
        services.change_role(membership, Role(form.role.data), actor=current_user)
    except services.LastAdmin as error:
        form.role.errors.append(error.message)
        return render_form(
            "organisations/member.html", form, status=409, organisation=organisation, membership=membership
        )
    db.session.commit()
    flash(f"{membership.user.name} is now {membership.role.label.lower()}.", "success")
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.route("/organisations/<slug>/members/<id:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove_member(slug: str, membership_id: int) -> str | Response | tuple[str, int]:
    organisation = queries.organisation_by_slug(slug)
    own = membership_of(current_user, organisation)
    leaving = own is not None and own.id == membership_id
    if not leaving:
        # Checked before looking the id up, so an outsider cannot tell which ids are members here.
        require(current_user, organisation, Permission.MANAGE_MEMBERS)
    membership = queries.membership_in(organisation, membership_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_form(
            "organisations/remove_member.html", form, organisation=organisation, membership=membership, leaving=leaving
        )
    name = membership.user.name
    try:
        services.remove_member(membership, actor=current_user)
    except services.LastAdmin as error:
        form.submit.errors.append(error.message)
        return render_form(
            "organisations/remove_member.html",
            form,
            status=409,
            organisation=organisation,
            membership=membership,
            leaving=leaving,
        )
    db.session.commit()
    if leaving:
        flash(f"You have left {organisation.name}.", "success")
        return redirect(url_for("accounts.account"))
    flash(f"{name} has been removed from {organisation.name}.", "success")
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.get("/invitations/<token>")
def invitation(token: str) -> str | tuple[str, int]:
    try:
        invitation = services.invitation_from_token(token)
    except InvalidLink as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    return render_template("organisations/invitation.html", invitation=invitation, token=token, form=ConfirmForm())


@bp.post("/invitations/<token>/accept")
@login_required
def accept_invitation(token: str) -> Response | tuple[str, int]:
    invitation = services.invitation_from_token(token)
    services.accept_invitation(invitation, actor=current_user)
    db.session.commit()
    flash(f"You have joined {invitation.organisation.name} as {invitation.role.label.lower()}.", "success")
    return redirect(url_for("organisations.show", slug=invitation.organisation.slug))


@bp.post("/invitations/<token>/decline")
def decline_invitation(token: str) -> Response:
    invitation = services.invitation_from_token(token)
    services.decline_invitation(invitation, actor=current_user if current_user.is_authenticated else None)
    db.session.commit()
    flash(f"You have declined the invitation to join {invitation.organisation.name}.", "success")
    return redirect(url_for("public.home"))


@bp.route("/invitations/<token>/register", methods=["GET", "POST"])
def register_from_invitation(token: str) -> str | Response | tuple[str, int]:
    """Create an account for the invited address and join at once: the emailed link proves the address."""
    invitation = services.invitation_from_token(token)
    services.require_open(invitation)
    form = RegisterForm(data={"email": invitation.email})
    form.email.data = invitation.email  # the address is the invitation's, whatever was posted
    if not form.validate_on_submit():
        return render_form("organisations/register_from_invitation.html", form, invitation=invitation, token=token)
    try:
        user = services.join_by_registering(invitation, form.name.data, form.password.data)
    except services.AccountExists:
        db.session.rollback()
        flash("You already have an account with this email address. Sign in to accept the invitation.", "info")
        return redirect(url_for("accounts.sign_in", next=url_for("organisations.invitation", token=token)))
    except accounts.WeakPassword as error:
        form.password.errors.append(error.message)
        return render_form("organisations/register_from_invitation.html", form, invitation=invitation, token=token)
    db.session.commit()
    start_session(user)
    flash(f"Your account has been created and you have joined {invitation.organisation.name}.", "success")
    return redirect(url_for("organisations.show", slug=invitation.organisation.slug))


@bp.get("/admin/organisations")
@login_required
def verification_queue() -> str:
    require_platform_admin(current_user)
    return render_template(
        "organisations/verification_queue.html", organisations=queries.awaiting_verification(), form=ConfirmForm()
    )


@bp.post("/organisations/<slug>/verify")
@login_required
def verify(slug: str) -> Response:
    organisation = queries.organisation_by_slug(slug)
    services.verify(organisation, actor=current_user)
    db.session.commit()
    flash(f"{organisation.name} is now verified.", "success")
    return redirect(url_for("organisations.verification_queue"))


@bp.route("/organisations/<slug>/withdraw-verification", methods=["GET", "POST"])
@login_required
def withdraw_verification(slug: str) -> str | Response | tuple[str, int]:
    organisation = queries.organisation_by_slug(slug)
    require_platform_admin(current_user)
    form = WithdrawVerificationForm()
    if not form.validate_on_submit():
        return render_form("organisations/withdraw_verification.html", form, organisation=organisation)
    services.withdraw_verification(organisation, form.reason.data, actor=current_user)
    db.session.commit()
    flash(f"{organisation.name} is no longer verified.", "success")
    return redirect(url_for("organisations.show", slug=organisation.slug))
