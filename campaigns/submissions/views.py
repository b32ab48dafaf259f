"""A statement's submissions: recording them, their replies, dates and files, and the pack. The targets' pages,
an organisation's dashboard and the /verify pages are in target_views, dashboard_views and verify_views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.http import parse_id
from campaigns.organisations.acting import acting_for
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, can
from campaigns.submissions import (  # noqa: F401  (their pages, on the same blueprint)
    dashboard_views,
    feed_views,
    pack,
    queries,
    services,
    signing,
    target_views,
    targets,
    uploads,
    verify_views,
)
from campaigns.submissions.blueprint import bp
from campaigns.submissions.forms import (
    AttachmentForm,
    CloseForm,
    DatesForm,
    ResponseForm,
    SentForm,
    StatementTargetForm,
    SubmissionForm,
)
from campaigns.submissions.models import Channel, ResponseKind, Stance, Submission, TargetKind
from campaigns.submissions.services import ResponseDetails, SubmissionDetails
from campaigns.submissions.signatories import list_for
from campaigns.submissions.target_views import target_details
from campaigns.submissions.workdays import today_in_london

__all__ = ["bp"]


# A statement's submissions


#: Why someone who can see the statement cannot do this.
_REFUSALS = {
    Action.SEE_SUBMISSIONS: "Only the people of the statement’s co-author organisations can see its submissions, "
    "replies and files. Its public page shows where it was sent and the public replies.",
    Action.EDIT: "Only the statement's editors can do this.",
}


def _statement(slug: str, action: Action = Action.SEE_SUBMISSIONS) -> Statement:
    """The statement, if the signed-in person may `action` (by default: see its submissions, replies and files)."""
    return visible_statement(slug, action, refusal=_REFUSALS[action])


@bp.get("/statements/<slug>/submissions")
@login_required
def timeline(slug: str) -> str:
    statement = _statement(slug)
    return render_template(
        "submissions/timeline.html",
        statement=statement,
        submissions=queries.for_statement(statement),
        may_edit=can(current_user, statement, Action.EDIT),
    )


def _submission_form(statement: Statement) -> SubmissionForm:
    form = SubmissionForm()
    form.targets.choices = [(str(t.id), t.name) for t in queries.targets_for(statement)]
    form.revision.choices = [
        (str(r.id), f"Revision {r.number}: {r.title}") for r in queries.agreed_revisions(statement)
    ]
    return form


@bp.route("/statements/<slug>/submissions/new", methods=["GET", "POST"])
@login_required
def record(slug: str) -> object:
    statement = _statement(slug, Action.EDIT)
    form = _submission_form(statement)
    if form.validate_on_submit():
        try:
            ids = [parse_id(value) for value in form.targets.data]
            if None in ids:
                raise services.UnknownTarget("Choose targets from the list.")
            targets = [queries.find_target(target_id) for target_id in ids if target_id is not None]
            revisions = {str(r.id): r for r in queries.agreed_revisions(statement)}
            details = SubmissionDetails(
                channel=Channel(form.channel.data),
                sent_on=form.sent_on.data if form.status.data == "sent" else None,
                revision=revisions.get(form.revision.data or ""),
                reference=form.reference.data or "",
                sent_by=form.sent_by.data or "",
                notes=form.notes.data or "",
            )
            submissions = services.record_submissions(
                statement, targets, details, actor=current_user, today=today_in_london(), acting_for=acting_for()
            )
        except (DomainError, ValueError) as error:
            db.session.rollback()
            message = getattr(error, "message", "Choose targets from the list.")
            field = form.sent_on if isinstance(error, services.BadDate) else form.targets
            field.errors = [*field.errors, message]
            status = getattr(error, "status_code", 400)
            return render_template("submissions/record.html", form=form, statement=statement), status
        db.session.commit()
        flash(f"Recorded {len(submissions)} submission{'s' if len(submissions) != 1 else ''}.")
        return redirect(url_for("submissions.timeline", slug=statement.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("submissions/record.html", form=form, statement=statement), status


@bp.route("/statements/<slug>/targets/new", methods=["GET", "POST"])
@login_required
def new_statement_target(slug: str) -> object:
    statement = _statement(slug, Action.EDIT)
    form = StatementTargetForm()
    if not form.validate_on_submit():
        return render_template(
            "submissions/target_form.html", form=form, heading="Add another body to send to", statement=statement
        ), (400 if form.is_submitted() else 200)
    target = targets.create_target(target_details(form, TargetKind.OTHER), actor=current_user, statement=statement)
    db.session.commit()
    flash(f"{target.name} has been added. You can now send the statement to it.")
    return redirect(url_for("submissions.record", slug=statement.slug))


def _with_replies(form: AttachmentForm, submission: Submission) -> AttachmentForm:
    form.belongs_to.choices = [("", "Sent with the submission")] + [
        (str(r.id), f"{r.kind.label} from {r.from_whom}, {r.received_on.day} {r.received_on:%B %Y}")
        for r in submission.responses
    ]
    return form


def _show(statement: Statement, submission: Submission, status: int = 200, **forms: Any) -> tuple[str, int]:
    signatories = list_for(submission)
    return render_template(
        "submissions/show.html",
        statement=statement,
        submission=submission,
        signatories=signatories,
        signed_line=pack.signed_line(signatories),
        attachments=queries.attachments_of(submission),
        may_edit=can(current_user, statement, Action.EDIT),
        # The forms not sent are fresh: they must not read the one that was.
        dates_form=forms.get("dates_form")
        or DatesForm(formdata=None, expected_by=submission.expected_by, promised_by=submission.promised_by),
        sent_form=forms.get("sent_form") or SentForm(formdata=None),
        attachment_form=_with_replies(forms.get("attachment_form") or AttachmentForm(formdata=None), submission),
        close_form=CloseForm(formdata=None),
    ), status


@bp.get("/statements/<slug>/submissions/<id:submission_id>")
@login_required
def show(slug: str, submission_id: int) -> object:
    statement = _statement(slug)
    return _show(statement, queries.submission_of(statement, submission_id))


def _change_on_page(
    slug: str,
    submission_id: int,
    form_class: type[FlaskForm],
    form_name: str,
    error_field: str,
    change: Callable[[Submission, Any], object],
    done: str,
) -> object:
    """A form on a submission's page: on a refusal the page comes back with the message at the field."""
    statement = _statement(slug, Action.EDIT)
    submission = queries.submission_of(statement, submission_id)
    form = form_class()
    if not form.validate_on_submit():
        return _show(statement, submission, 400, **{form_name: form})
    try:
        change(submission, form)
    except DomainError as error:
        db.session.rollback()
        getattr(form, error_field).errors = [error.message]
        return _show(statement, submission, error.status_code, **{form_name: form})
    db.session.commit()
    flash(done)
    return redirect(url_for("submissions.show", slug=slug, submission_id=submission.id))


@bp.post("/statements/<slug>/submissions/<id:submission_id>/dates")
@login_required
def change_dates(slug: str, submission_id: int) -> object:
    def change(submission: Submission, form: DatesForm) -> None:
        assert form.expected_by.data is not None  # required: the form has validated
        services.change_dates(
            submission, expected_by=form.expected_by.data, promised_by=form.promised_by.data, actor=current_user
        )

    return _change_on_page(
        slug, submission_id, DatesForm, "dates_form", "expected_by", change, "The dates have been saved."
    )


@bp.post("/statements/<slug>/submissions/<id:submission_id>/sent")
@login_required
def mark_sent(slug: str, submission_id: int) -> object:
    def change(submission: Submission, form: SentForm) -> None:
        assert form.sent_on.data is not None  # required: the form has validated
        services.mark_sent(submission, form.sent_on.data, actor=current_user, today=today_in_london())

    done = "Recorded as sent. The signatory list has been frozen as it stood on the date sent."
    return _change_on_page(slug, submission_id, SentForm, "sent_form", "sent_on", change, done)


@bp.post("/statements/<slug>/submissions/<id:submission_id>/close")
@login_required
def close(slug: str, submission_id: int) -> object:
    statement = _statement(slug, Action.EDIT)
    submission = queries.submission_of(statement, submission_id)
    if not CloseForm().validate_on_submit():
        abort(400)
    services.close_submission(submission, actor=current_user)
    db.session.commit()
    flash("The submission has been closed.")
    return redirect(url_for("submissions.show", slug=slug, submission_id=submission.id))


@bp.route("/statements/<slug>/submissions/<id:submission_id>/responses/new", methods=["GET", "POST"])
@login_required
def respond(slug: str, submission_id: int) -> object:
    statement = _statement(slug, Action.EDIT)
    submission = queries.submission_of(statement, submission_id)
    form = ResponseForm()
    context = {"form": form, "statement": statement, "submission": submission}
    if not form.validate_on_submit():
        return render_template("submissions/response.html", **context), (400 if form.is_submitted() else 200)
    assert form.received_on.data is not None  # required: the form has validated
    details = ResponseDetails(
        kind=ResponseKind(form.kind.data),
        received_on=form.received_on.data,
        from_whom=form.from_whom.data,
        summary=form.summary.data,
        full_text=form.full_text.data or "",
        stance=Stance(form.stance.data),
        is_public=bool(form.is_public.data),
        follow_up=form.follow_up.data or "",
        promised_by=form.promised_by.data,
    )
    try:
        services.record_response(submission, details, actor=current_user, today=today_in_london())
    except DomainError as error:
        db.session.rollback()
        form.received_on.errors = [error.message]
        return render_template("submissions/response.html", **context), error.status_code
    db.session.commit()
    flash("The reply has been saved.")
    return redirect(url_for("submissions.show", slug=slug, submission_id=submission.id))


@bp.url_value_preprocessor
def allow_uploads(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """A file may be larger than other requests. This runs before anything reads the form (CSRF included)."""
    if endpoint == "submissions.upload":
        request.max_content_length = uploads.MAX_BYTES + 64 * 1024


@bp.post("/statements/<slug>/submissions/<id:submission_id>/attachments")
@login_required
def upload(slug: str, submission_id: int) -> object:
    def change(submission: Submission, form: AttachmentForm) -> None:
        with form.file.data.stream as stream:  # a large upload is a temporary file: close it at once
            data = stream.read(uploads.MAX_BYTES + 1)
        replies = {str(response.id): response for response in submission.responses}
        if form.belongs_to.data and form.belongs_to.data not in replies:
            raise DomainError("Choose what the file is from the list.")
        response = replies.get(form.belongs_to.data or "")
        uploads.attach(submission, form.file.data.filename or "", data, actor=current_user, response=response)

    return _change_on_page(
        slug, submission_id, AttachmentForm, "attachment_form", "file", change, "The file has been attached."
    )


@bp.get("/statements/<slug>/submissions/<id:submission_id>/attachments/<id:attachment_id>")
@login_required
def attachment(slug: str, submission_id: int, attachment_id: int) -> Response:
    statement = _statement(slug)
    submission = queries.submission_of(statement, submission_id)
    found = queries.attachment_of(submission, attachment_id)
    return send_file(
        uploads.path_of(found), mimetype=found.content_type, as_attachment=True, download_name=found.filename
    )


@bp.get("/statements/<slug>/submissions/<id:submission_id>/pack")
@login_required
def pack_page(slug: str, submission_id: int) -> str:
    statement = _statement(slug)
    submission = queries.submission_of(statement, submission_id)
    return render_template("submissions/pack.html", **pack.contents(submission))


@bp.get("/statements/<slug>/submissions/<id:submission_id>/pack.pdf")
@login_required
def pack_pdf(slug: str, submission_id: int) -> Response:
    statement = _statement(slug)
    submission = queries.submission_of(statement, submission_id)
    reason = "Draft submission pack: not yet sent" if submission.sent_on is None else "Submission pack as sent"
    response = Response(signing.signed(pack.pdf(submission), reason=reason), mimetype="application/pdf")
    draft = "-draft" if submission.sent_on is None else ""
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{statement.slug}-{submission.target.slug}{draft}.pdf"'
    )
    return response
