"""Downloading a statement's signatories as CSV: the public list for anyone, the full record for its owners (for
a very large statement, a file the worker builds: export_jobs.py)."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, current_app, redirect, render_template, request, send_file, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from campaigns.caching import public_page
from campaigns.database import utcnow
from campaigns.errors import Gone, NotFound
from campaigns.extensions import db
from campaigns.forms import ConfirmForm
from campaigns.jobs import runner
from campaigns.jobs.models import UNFINISHED, Job, JobStatus
from campaigns.jobs.queries import current_job, owned_job
from campaigns.organisations.acting import acting_for
from campaigns.signatures import contacts, export_jobs, exports
from campaigns.signatures.blueprint import bp
from campaigns.signatures.counting import totals
from campaigns.signatures.panel import cache_parts
from campaigns.signatures.public_list import Filters
from campaigns.signatures.services import launched, settings_for
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, organisations_for
from campaigns.statements.queries import published_by_slug

#: Seconds between refreshes of a file's progress page (without JavaScript: a meta refresh).
REFRESH_SECONDS = 5


def _download(pieces: Iterator[str], filename: str) -> Response:
    """Stream the file as it is written: the rows are read from the database a batch at a time."""
    return Response(
        stream_with_context(pieces),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/s/<slug>/signatories.csv")
@public_page(cache_parts)
def signatories_csv(slug: str) -> Response:
    statement = published_by_slug(slug)
    settings = settings_for(statement)
    if not launched(settings):
        raise NotFound("The list of signatories will be published when the statement is launched.")
    filters = Filters.parse(request.args.get("kind"), request.args.get("region"), request.args.get("q"))
    return _download(exports.public_file(statement.id, settings, filters), f"{statement.slug}-signatories.csv")


@bp.get("/statements/<slug>/signatures.csv")
@login_required
def signatures_csv(slug: str) -> ResponseReturnValue:
    """Everything about every signature: for the statement's owners only, each author organisation's people seeing
    the email addresses of those who agreed that organisation may contact them, and no others."""
    statement = _owners_statement(slug)
    if export_jobs.worker_builds(statement):
        return redirect(url_for("signatures.export_request", slug=statement.slug))
    viewer = contacts.viewing_organisation(current_user, statement, acting_for())
    filename = f"{statement.slug}-signatures-{viewer.slug}-{utcnow():%Y-%m-%d}.csv"
    return _download(exports.owner_file(statement.id, viewer.id), filename)


def _owners_statement(slug: str) -> Statement:
    return visible_statement(
        slug, Action.EDIT, refusal="Only editors of the lead and co-author organisations can download the signatures."
    )


@bp.route("/statements/<slug>/signatures/export", methods=["GET", "POST"])
@login_required
def export_request(slug: str) -> ResponseReturnValue:
    """Too many signatures to stream in one request: ask the worker to build the file."""
    statement = _owners_statement(slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        viewer = contacts.viewing_organisation(current_user, statement, acting_for())
        job = export_jobs.request_export(statement, viewer, actor=current_user)
        db.session.commit()
        return redirect(url_for("signatures.export_job", slug=statement.slug, job_id=job.id))
    current = current_job(current_user.id, export_jobs.KIND, statement.id)
    return render_template(
        "signatures/export_request.html",
        statement=statement,
        form=form,
        current=current,
        total=totals(statement.id).total,
        keep_hours=current_app.config["CAMPAIGNS_EXPORT_KEEP_HOURS"],
    )


def _owned_job(statement: Statement, job_id: int) -> Job:
    job = owned_job(job_id, current_user.id, export_jobs.KIND, statement.id)
    # Its email addresses are those shared with one organisation: for someone who still edits for it.
    editing_for = {organisation.id for organisation in organisations_for(current_user, statement, Action.EDIT)}
    if job is None or job.params.get("viewer_id") not in editing_for:
        raise NotFound("There is no such download of yours.")
    return job


@bp.get("/statements/<slug>/exports/<id:job_id>")
@login_required
def export_job(slug: str, job_id: int) -> ResponseReturnValue:
    """How far the worker has got with the file, and the link to it once it is ready: for the person who asked."""
    statement = _owners_statement(slug)
    job = _owned_job(statement, job_id)
    unfinished = job.status in UNFINISHED
    return render_template(
        "signatures/export_job.html",
        statement=statement,
        job=job,
        percent=min(100, job.progress * 100 // job.total) if job.total else None,
        refresh=REFRESH_SECONDS if unfinished else None,
        unfinished=unfinished,
    )


@bp.get("/statements/<slug>/exports/<id:job_id>/file")
@login_required
def export_file(slug: str, job_id: int) -> ResponseReturnValue:
    """The file the worker built, whole (with its length, so a cut-off download shows as failed), while kept."""
    statement = _owners_statement(slug)
    job = _owned_job(statement, job_id)
    path = runner.export_dir() / job.file_path if job.status == JobStatus.DONE and job.file_path else None
    if path is None or not path.is_file():
        raise Gone("This file is no longer kept (or not ready yet). Ask for it again from the list of signatures.")
    return send_file(
        path, mimetype="text/csv", as_attachment=True, download_name=job.file_name or path.name, conditional=True
    )
