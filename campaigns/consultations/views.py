"""Consultations' pages: the open ones (public), one consultation (public), and adding, importing and keeping one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.consultations import queries, response_views, services  # noqa: F401  (response pages)
from campaigns.consultations.acting import editing_organisations, offer_organisations
from campaigns.consultations.blueprint import bp
from campaigns.consultations.forms import ConsultationForm, ImportForm, NewConsultationForm, QuestionsForm
from campaigns.consultations.importing import (
    ConsultationDetails,
    NotAConsultation,
    QuestionDraft,
    questions_as_text,
    read_content_item,
    split_questions,
)
from campaigns.consultations.models import Consultation
from campaigns.database import utcnow
from campaigns.errors import DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission
from campaigns.pages import render_form

__all__ = ["bp"]


@bp.get("/consultations")
def index() -> str:
    consultations = queries.open_consultations(utcnow())
    return render_template(
        "consultations/index.html",
        consultations=consultations,
        responses=queries.published_responses(consultations),
        may_add=current_user.is_authenticated and bool(my_organisations_where(Permission.EDIT_STATEMENTS)),
    )


@bp.get("/consultations/<slug>")
def show(slug: str) -> str:
    consultation = queries.consultation_by_slug(slug)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        now=utcnow(),
        responses=queries.published_responses([consultation]).get(consultation.id, []),
        outcomes=queries.outcomes_of(consultation),
        may_keep=services.may_keep(current_user, consultation),
    )


def _adding_for() -> list[Organisation]:
    return editing_organisations("add a consultation")


def _new_form(organisations: list[Organisation], **kwargs: object) -> NewConsultationForm:
    form = NewConsultationForm(**kwargs)
    offer_organisations(form, organisations)
    return form


def _details_page(
    form: ConsultationForm, context: dict[str, Any], save: Callable[[ConsultationDetails], Consultation]
) -> Response | tuple[str, int]:
    """The details form: shown again with its errors (a closing time before the opening at the closing date), or
    saved with `save`, committed, and on to `context["done"]`."""
    if not form.validate_on_submit():
        return render_form("consultations/form.html", form, **context)
    try:
        consultation = save(form.details())
    except services.BadDates as error:
        db.session.rollback()
        form.closes_on.errors = [error.message]
        return render_form("consultations/form.html", form, **context)
    db.session.commit()
    message, endpoint = context["done"]
    flash(message, "success")
    return redirect(url_for(endpoint, slug=consultation.slug))


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int]:
    organisations = _adding_for()
    form = _new_form(organisations)

    def save(details: ConsultationDetails) -> Consultation:
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        return services.add_consultation(details, actor=current_user, organisation=organisation)

    done = ("The consultation has been added. Now add its questions.", "consultations.questions")
    return _details_page(form, {"heading": "Add a consultation", "done": done}, save)


@bp.route("/consultations/import", methods=["GET", "POST"])
@login_required
def import_content_item() -> tuple[str, int]:
    organisations = _adding_for()
    form = ImportForm()
    if not form.validate_on_submit():
        return render_form("consultations/import.html", form)
    try:
        details = read_content_item(form.content_item.data)
    except NotAConsultation as error:
        form.content_item.errors = [error.message]
        return render_form("consultations/import.html", form)
    checking = _new_form(organisations, formdata=None)
    checking.fill(details)
    return render_form(
        "consultations/form.html",
        checking,
        200,
        heading="Check the consultation’s details",
        imported=True,
        form_action=url_for("consultations.new"),
    )


def _kept(slug: str) -> Consultation:
    """The consultation at `slug`, if the signed-in person may change it (403 otherwise)."""
    consultation = queries.consultation_by_slug(slug)
    if not services.may_keep(current_user, consultation):
        raise PermissionDenied(f"Only editors of {consultation.organisation.name} can change this consultation.")
    return consultation


@bp.route("/consultations/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    consultation = _kept(slug)
    form = ConsultationForm()
    if not form.is_submitted():
        form.fill(consultation)

    def save(details: ConsultationDetails) -> Consultation:
        services.update_consultation(consultation, details, actor=current_user)
        return consultation

    done = ("The consultation has been saved.", "consultations.show")
    return _details_page(
        form, {"heading": f"Change ‘{consultation.title}’", "consultation": consultation, "done": done}, save
    )


@bp.route("/consultations/<slug>/questions", methods=["GET", "POST"])
@login_required
def questions(slug: str) -> Response | tuple[str, int]:
    consultation = _kept(slug)
    form = QuestionsForm()
    if not form.is_submitted() and consultation.questions:
        form.questions.data = questions_as_text(
            [QuestionDraft(q.number, q.text, q.section, q.guidance) for q in consultation.questions]
        )
    context: dict[str, Any] = {"consultation": consultation, "split": None}
    if not form.validate_on_submit():
        return render_form("consultations/questions.html", form, **context)
    split = split_questions(form.questions.data)
    context["split"] = split
    if not form.save.data:
        return render_form("consultations/questions.html", form, 200, **context)
    try:
        services.set_questions(consultation, split.questions, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        form.questions.errors = [error.message]
        return render_form("consultations/questions.html", form, error.status_code, **context)
    db.session.commit()
    flash(f"{len(split.questions)} questions have been saved.", "success")
    return redirect(url_for("consultations.show", slug=consultation.slug))
