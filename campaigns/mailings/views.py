"""Pages for email updates: history, compose and preview, approval, sending, progress, unsubscribing."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.database import utcnow
from campaigns.errors import PermissionDenied
from campaigns.extensions import db, limiter
from campaigns.forms import ConfirmForm
from campaigns.mailings import (  # noqa: F401  (models: the outbox refers to them)
    audience,
    emails,
    models,
    public_views,
    queries,
    services,
    unsubscribing,
)
from campaigns.mailings.blueprint import bp
from campaigns.mailings.forms import ApprovalSettingForm, SendBackForm, SendForm, UpdateForm
from campaigns.mailings.models import Mailing, MailingStatus
from campaigns.mailings.progress import progress as progress_of
from campaigns.mailings.services import UpdateRefused, WrongStatus
from campaigns.organisations.acting import acting_for
from campaigns.organisations.models import KIND_LABELS, REGIONS
from campaigns.pages import render_form
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, can, organisations_for

__all__ = ["bp"]

#: Seconds between refreshes of the progress page without JavaScript.
REFRESH_SECONDS = 3


def _editor_statement(slug: str) -> Statement:
    return visible_statement(
        slug, Action.EDIT, refusal="Only editors of the statement's co-author organisations can write and send updates."
    )


def _require_button() -> None:
    """The action buttons post only a CSRF token: anything else is a bad request."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _visible_mailing(slug: str, update_id: int) -> tuple[Statement, Mailing]:
    statement = visible_statement(
        slug,
        Action.EDIT,
        Action.APPROVE,
        refusal="Only the co-authors' editors, signatories and admins can see updates before they go.",
    )
    return statement, queries.update_of(statement, update_id)


@bp.get("/statements/<slug>/updates")
@login_required
def index(slug: str) -> str:
    statement = visible_statement(
        slug,
        Action.EDIT,
        Action.APPROVE,
        refusal="Only the co-authors' editors, signatories and admins can see its updates.",
    )
    settings = services.settings_for(statement)
    form = ApprovalSettingForm(approval_required="yes" if settings.approval_required else "no")
    return render_template(
        "mailings/index.html",
        statement=statement,
        history=queries.history(statement),
        settings_form=form,
        can_edit=can(current_user, statement, Action.EDIT),
        can_publish=can(current_user, statement, Action.PUBLISH),
    )


@bp.post("/statements/<slug>/updates/settings")
@login_required
def settings(slug: str) -> Response | tuple[str, int]:
    statement = visible_statement(slug)
    form = ApprovalSettingForm()
    if not form.validate_on_submit():
        if not can(current_user, statement, Action.PUBLISH):
            raise PermissionDenied("Only editors of the lead organisation can change this.")
        return render_form("mailings/settings.html", form, statement=statement)
    services.set_approval_required(statement, form.approval_required.data == "yes", actor=current_user)
    db.session.commit()
    flash("Your choice about approving updates has been saved.", "success")
    return redirect(url_for(".index", slug=slug))


@bp.route("/statements/<slug>/updates/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> str | Response | tuple[str, int]:
    statement = _editor_statement(slug)
    form = UpdateForm()
    if not form.validate_on_submit():
        return render_form("mailings/edit.html", form, statement=statement, mailing=None)
    mailing = services.compose(statement, form.to_draft(), actor=current_user, organisation=acting_for())
    db.session.commit()
    return redirect(url_for(".show", slug=slug, update_id=mailing.id), 303)


@bp.route("/statements/<slug>/updates/<id:update_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, update_id: int) -> str | Response | tuple[str, int]:
    statement = _editor_statement(slug)
    mailing = queries.update_of(statement, update_id)
    form = UpdateForm()
    if request.method == "GET":
        form.fill(mailing)
    if not form.validate_on_submit():
        return render_form("mailings/edit.html", form, statement=statement, mailing=mailing)
    services.edit(mailing, form.to_draft(), actor=current_user)
    db.session.commit()
    return redirect(url_for(".show", slug=slug, update_id=mailing.id), 303)


def _sample(found: list[emails.Recipient]) -> emails.Recipient:
    """Whose name and organisation fill the preview: the first recipient, or the reader when there is none."""
    if found:
        return found[0]
    acting = acting_for()
    return emails.Recipient(current_user.email, current_user.name, acting.name if acting else "Your organisation")


def _show(
    statement: Statement,
    mailing: Mailing,
    send_form: SendForm | None = None,
    status: int = 200,
    send_back_form: SendBackForm | None = None,
):
    organisation = acting_for()
    pending = mailing.editable or mailing.status == MailingStatus.SCHEDULED
    everyone = audience.recipients(mailing) if pending else []
    recipient = _sample(everyone)
    subject, text, _html, _headers = emails.preview(mailing, recipient)
    count = len(everyone) if pending else mailing.recipient_count
    return (
        render_template(
            "mailings/show.html",
            statement=statement,
            mailing=mailing,
            sample=recipient,
            subject=subject,
            text=text,
            recipient_count=count,
            audience_in_words=audience.in_words(mailing, count),
            approval_needed=services.approval_needed(mailing),
            can_edit=can(current_user, statement, Action.EDIT),
            can_approve=any(
                o.id != mailing.organisation_id for o in organisations_for(current_user, statement, Action.APPROVE)
            ),
            send_form=send_form or SendForm(),
            send_back_form=send_back_form or SendBackForm(),
            confirm_form=ConfirmForm(),
            acting=organisation,
        ),
        status,
    )


@bp.get("/statements/<slug>/updates/<id:update_id>")
@login_required
def show(slug: str, update_id: int) -> tuple[str, int]:
    statement, mailing = _visible_mailing(slug, update_id)
    return _show(statement, mailing)


@bp.get("/statements/<slug>/updates/<id:update_id>/recipients")
@login_required
def recipients(slug: str, update_id: int) -> str:
    """Who will get the update, by name and organisation: for whoever sends or approves it."""
    statement, mailing = _visible_mailing(slug, update_id)
    if not (mailing.editable or mailing.status == MailingStatus.SCHEDULED):
        raise WrongStatus("This update has gone: see its progress for who it was sent to.")
    everyone = audience.recipients(mailing)
    return render_template(
        "mailings/recipients.html",
        statement=statement,
        mailing=mailing,
        recipients=everyone,
        in_words=audience.in_words(mailing, len(everyone)),
        regions=REGIONS,
        kinds=KIND_LABELS,
    )


@bp.get("/statements/<slug>/updates/<id:update_id>/email")
@login_required
def email_html(slug: str, update_id: int) -> Response:
    """The HTML part exactly as sent, for the preview frame: its own inline styles allowed, nothing else."""
    _statement, mailing = _visible_mailing(slug, update_id)
    _subject, _text, html, _headers = emails.preview(mailing, _sample(audience.recipients(mailing, limit=1)))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/statements/<slug>/updates/<id:update_id>/test")
@login_required
@limiter.limit("10 per hour", key_func=lambda: str(current_user.get_id()))
def test(slug: str, update_id: int) -> Response:
    statement = _editor_statement(slug)
    mailing = queries.update_of(statement, update_id)
    _require_button()
    services.send_test(mailing, actor=current_user)
    db.session.commit()
    flash(f"A test has been sent to {current_user.email}.", "success")
    return redirect(url_for(".show", slug=slug, update_id=update_id), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/request-approval")
@login_required
def request_approval(slug: str, update_id: int) -> Response:
    statement = _editor_statement(slug)
    mailing = queries.update_of(statement, update_id)
    _require_button()
    services.request_approval(mailing, actor=current_user)
    db.session.commit()
    flash("Approval has been asked for: the other co-authors' signatories and admins have been emailed.", "success")
    return redirect(url_for(".show", slug=slug, update_id=update_id), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/approve")
@login_required
def approve(slug: str, update_id: int) -> Response:
    _statement, mailing = _visible_mailing(slug, update_id)
    _require_button()
    services.approve(mailing, actor=current_user, organisation=acting_for())
    db.session.commit()
    flash("You have approved the update. Its writer has been emailed and can now send it.", "success")
    return redirect(url_for(".show", slug=slug, update_id=update_id), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/send-back")
@login_required
def send_back(slug: str, update_id: int) -> Response | tuple[str, int]:
    statement, mailing = _visible_mailing(slug, update_id)
    form = SendBackForm()
    if not form.validate_on_submit():
        return _show(statement, mailing, status=400, send_back_form=form)
    services.send_back(mailing, form.reason.data, actor=current_user, organisation=acting_for())
    db.session.commit()
    flash("You have sent the update back. Its writer has been emailed your reason.", "success")
    return redirect(url_for(".show", slug=slug, update_id=update_id), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/send")
@login_required
def send(slug: str, update_id: int) -> Response | tuple[str, int]:
    statement = _editor_statement(slug)
    mailing = queries.update_of(statement, update_id)
    form = SendForm()
    if not form.validate_on_submit():
        return _show(statement, mailing, form, 400)
    try:
        services.send(mailing, actor=current_user, at=form.scheduled_at())
    except UpdateRefused as refused:
        db.session.rollback()
        field = form.send_on if form.scheduled_at() else form.when
        field.errors = [refused.message]
        return _show(statement, mailing, form, refused.status_code)
    db.session.commit()
    if mailing.status == MailingStatus.SCHEDULED:
        flash("The update has been scheduled.", "success")
        return redirect(url_for(".index", slug=slug), 303)
    return redirect(url_for(".progress", slug=slug, update_id=update_id), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/cancel")
@login_required
def cancel(slug: str, update_id: int) -> Response:
    statement = _editor_statement(slug)
    mailing = queries.update_of(statement, update_id)
    _require_button()
    cancelled = services.cancel(mailing, actor=current_user)
    db.session.commit()
    flash(f"The update has been cancelled: {cancelled:,} unsent emails will not go.", "success")
    return redirect(url_for(".index", slug=slug), 303)


@bp.post("/statements/<slug>/updates/<id:update_id>/publish")
@login_required
def publish(slug: str, update_id: int) -> Response:
    _statement, mailing = _visible_mailing(slug, update_id)
    _require_button()
    services.publish(mailing, actor=current_user, published=mailing.published_at is None)
    db.session.commit()
    flash(
        "The update is on the statement's public page." if mailing.published_at else "The update is no longer public."
    )
    return redirect(url_for(".index", slug=slug), 303)


def _progress_data(mailing: Mailing) -> dict[str, object]:
    p = progress_of(mailing, utcnow())
    return {
        "status": mailing.status.value,
        "queued": p.queued,
        "sent": p.sent,
        "failed": p.failed,
        "cancelled": p.cancelled,
        "total": p.total,
        "percent": p.percent,
        "finished": p.finished,
        "seconds_left": None if p.seconds_left is None else round(p.seconds_left),
    }


@bp.get("/statements/<slug>/updates/<id:update_id>/progress")
@login_required
def progress(slug: str, update_id: int) -> str:
    statement, mailing = _visible_mailing(slug, update_id)
    data = _progress_data(mailing)
    return render_template(
        "mailings/progress.html",
        statement=statement,
        mailing=mailing,
        progress=data,
        refresh=REFRESH_SECONDS if not data["finished"] else None,
        confirm_form=ConfirmForm(),
        can_edit=can(current_user, statement, Action.EDIT),
    )


@bp.get("/statements/<slug>/updates/<id:update_id>/progress.json")
@login_required
def progress_json(slug: str, update_id: int) -> Response:
    _statement, mailing = _visible_mailing(slug, update_id)
    return jsonify(_progress_data(mailing))
