"""Responses: starting one from a consultation, the answers question by question, writing one answer, and the
lead marking questions the partners will not answer."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.consultations import queries, services
from campaigns.consultations.acting import editing_organisations, offer_organisations
from campaigns.consultations.answers import read_answers
from campaigns.consultations.blueprint import bp
from campaigns.consultations.forms import AnswerForm, NotAnsweringForm, OutcomeForm, SendForm, StartResponseForm
from campaigns.consultations.models import ConsultationResponse, Question
from campaigns.consultations.sending import WAYS, ways_to_respond
from campaigns.consultations.word import response_docx
from campaigns.database import utcnow
from campaigns.errors import DomainError
from campaigns.extensions import db
from campaigns.forms import ConfirmForm, choices
from campaigns.http import parse_id
from campaigns.organisations.acting import acting_for
from campaigns.pages import render_form
from campaigns.statements import queries as statement_queries
from campaigns.statements import services as statements
from campaigns.statements.blueprint import visible_statement
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, can
from campaigns.submissions.workdays import today_in_london

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/consultations/<slug>/respond", methods=["GET", "POST"])
@login_required
def respond(slug: str) -> Response | tuple[str, int]:
    consultation = queries.consultation_by_slug(slug)
    leads = editing_organisations("start a response")
    form = StartResponseForm()
    offer_organisations(form, leads)
    if not form.validate_on_submit():
        existing = queries.response_led_by(consultation, [o.id for o in leads])
        return render_form("consultations/respond.html", form, consultation=consultation, existing=existing)
    organisation = next(o for o in leads if o.id == form.organisation.data)
    try:
        response = services.start_response(consultation, actor=current_user, organisation=organisation, now=utcnow())
    except services.AlreadyResponding as refused:
        db.session.rollback()  # a draft started a moment before the refusal goes with it
        existing = refused.existing or queries.response_led_by(consultation, [organisation.id])
        page = render_template(
            "consultations/respond.html", form=form, consultation=consultation, existing=existing, refused=refused
        )
        return page, refused.status_code
    db.session.commit()
    flash("Your response has been started, with every question unanswered. Invite co-authors when you are ready.")
    return redirect(url_for("consultations.answers", slug=response.statement.slug))


def _response(slug: str, *actions: Action) -> tuple[Statement, ConsultationResponse]:
    statement = visible_statement(slug, *actions)
    response = queries.response_to(statement)
    if response is None:
        abort(404)
    return statement, response


def _question(response: ConsultationResponse, number: str) -> Question:
    found = next((q for q in response.consultation.questions if q.number == number), None)
    if found is None:
        abort(404)
    return found


@bp.get("/statements/<slug>/answers")
@login_required
def answers(slug: str) -> str:
    statement, response = _response(slug)
    return render_template(
        "consultations/answers.html",
        statement=statement,
        response=response,
        consultation=response.consultation,
        answers=read_answers(statement.latest_revision.body),
        now=utcnow(),
        may_edit=can(current_user, statement, Action.EDIT),
        may_mark=can(current_user, statement, Action.MANAGE_PARTICIPANTS),
        mark_form=NotAnsweringForm(formdata=None),
    )


def _answer_page(
    statement: Statement,
    response: ConsultationResponse,
    question: Question,
    form: AnswerForm,
    status: int,
    **extra: Any,
) -> tuple[str, int]:
    return render_form(
        "consultations/answer.html",
        form,
        status,
        statement=statement,
        response=response,
        question=question,
        **extra,
    )


@bp.route("/statements/<slug>/answers/<question>", methods=["GET", "POST"])
@login_required
def answer(slug: str, question: str) -> Response | tuple[str, int]:
    statement, response = _response(slug, Action.EDIT)
    asked = _question(response, question)
    form = AnswerForm()
    current = statement.latest_revision
    if not form.is_submitted():
        found = read_answers(current.body).get(asked.number)
        form.answer.data = found.text if found else ""
        form.based_on.data = str(current.id)
    if not form.validate_on_submit():
        return _answer_page(statement, response, asked, form, 400 if form.is_submitted() else 200)
    based_on = statement_queries.revision_by_id(statement, parse_id(form.based_on.data))
    if based_on is None:
        form.answer.errors = ["The page was out of date. Your answer is below: save it again."]
        form.based_on.data = str(current.id)
        return _answer_page(statement, response, asked, form, 400)
    try:
        revision, merged = services.save_answer(
            response,
            asked,
            form.answer.data or "",
            based_on=based_on,
            actor=current_user,
            acting_for=acting_for(),
        )
    except statements.EditConflict as conflict:
        db.session.rollback()
        # Their answer is shown; the box keeps what this person typed, now based on the latest text, so saving
        # again is a deliberate choice to replace theirs.
        theirs = read_answers(conflict.theirs.body).get(asked.number)
        form.based_on.data = str(conflict.theirs.id)
        form.answer.errors = ["Someone else changed this answer while you were writing yours."]
        return _answer_page(statement, response, asked, form, 409, theirs=theirs)
    except statements.NothingToSave as nothing:
        db.session.rollback()
        flash(nothing.message, "info")
        return redirect(url_for("consultations.answers", slug=statement.slug))
    db.session.commit()
    also = " Others had changed other answers meanwhile: theirs are kept too." if merged else ""
    flash(f"Your answer to question {asked.number} is saved as revision {revision.number}.{also}", "success")
    return redirect(url_for("consultations.answers", slug=statement.slug, _anchor=f"question-{asked.number}"))


@bp.post("/statements/<slug>/answers/<question>/not-answering")
@login_required
def not_answering(slug: str, question: str) -> Response:
    statement, response = _response(slug)
    asked = _question(response, question)
    if not NotAnsweringForm().validate_on_submit():
        abort(400)
    will_not = asked.number not in response.not_answering
    services.set_not_answering(response, asked, actor=current_user, not_answering=will_not)
    db.session.commit()
    flash(
        f"Question {asked.number} is marked as one the partners will not answer."
        if will_not
        else f"Question {asked.number} is to be answered again."
    )
    return redirect(url_for("consultations.answers", slug=statement.slug, _anchor=f"question-{asked.number}"))


@bp.route("/statements/<slug>/answers/send", methods=["GET", "POST"])
@login_required
def send(slug: str) -> Response | tuple[str, int]:
    statement, response = _response(slug, Action.EDIT)
    consultation = response.consultation
    ways = ways_to_respond(consultation)
    form = SendForm()
    form.way.choices = choices((way, f"{WAYS[way].capitalize()} {address}") for way, address in ways.items())
    if not form.is_submitted():
        form.sent_on.data = today_in_london()
        form.way.data = next(iter(ways), None)
    context: dict[str, Any] = {"statement": statement, "response": response, "consultation": consultation}
    if not form.validate_on_submit():
        return render_form("consultations/send.html", form, **context)
    assert form.sent_on.data is not None  # required: the form has validated
    try:
        submission = services.send_response(
            response,
            form.way.data,
            sent_on=form.sent_on.data,
            reference=form.reference.data or "",
            actor=current_user,
            now=utcnow(),
            today=today_in_london(),
            acting_for=acting_for(),
        )
    except DomainError as error:
        db.session.rollback()
        form.way.errors = [error.message]
        return render_form("consultations/send.html", form, error.status_code, **context)
    db.session.commit()
    flash("Recorded as sent to the consultation. The signatory list has been frozen as it stood on the date sent.")
    return redirect(url_for("submissions.show", slug=statement.slug, submission_id=submission.id))


@bp.get("/statements/<slug>/answers/response.docx")
@login_required
def word_document(slug: str) -> Response:
    statement, response = _response(slug, Action.SEE_SUBMISSIONS)
    agreed = statement.agreed_revision
    revision = agreed or statement.latest_revision
    authors = (
        statement_queries.agreeing_organisations(statement, agreed)
        if agreed
        else statement_queries.author_organisations(statement)
    )
    data = response_docx(response, revision, authors, queries.sent_to_consultation(statement))
    sent = make_response(data)
    sent.headers["Content-Type"] = DOCX
    sent.headers["Content-Disposition"] = f'attachment; filename="{statement.slug}-response.docx"'
    return sent


@bp.route("/statements/<slug>/answers/outcome", methods=["GET", "POST"])
@login_required
def outcome(slug: str) -> Response | tuple[str, int]:
    statement, response = _response(slug, Action.EDIT)
    asks = list(statement.agreed_revision.asks) if statement.agreed_revision else []
    form = OutcomeForm.with_asks(asks)()
    if not form.is_submitted() and response.outcome is not None:
        saved = response.outcome
        form.published_on.data, form.link.data, form.summary.data = saved.published_on, saved.link, saved.summary
        for row in saved.asks:
            if row.position <= len(asks):
                getattr(form, f"ask_{row.position}").data = row.verdict.value
    context: dict[str, Any] = {"statement": statement, "response": response, "asks": asks}
    if not form.validate_on_submit():
        return render_form("consultations/outcome.html", form, **context)
    assert form.published_on.data is not None  # required: the form has validated
    details = services.OutcomeDetails(
        published_on=form.published_on.data,
        summary=form.summary.data,
        link=form.link.data or "",
        verdicts=form.verdicts(len(asks)),
    )
    try:
        services.record_outcome(response, details, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        form.summary.errors = [error.message]
        return render_form("consultations/outcome.html", form, error.status_code, **context)
    db.session.commit()
    flash("The government’s response has been saved. It is shown on the consultation’s public page.", "success")
    return redirect(url_for("consultations.answers", slug=statement.slug))


@bp.post("/statements/<slug>/answers/outcome/update")
@login_required
def outcome_update(slug: str) -> Response:
    _, response = _response(slug, Action.EDIT)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    mailing = services.draft_outcome_update(response, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash(
        "An update about the government’s response has been drafted below. Change it as you wish: nothing is sent "
        "until you send it."
    )
    return redirect(url_for("mailings.edit", slug=slug, update_id=mailing.id), 303)
