"""Keeping consultations: adding one (by hand or from a GOV.UK content item the person has checked), changing its
details, and setting its numbered questions. Each function takes the acting user, checks the rules, writes the
audit log and flushes; the caller commits."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.consultations import queries
from campaigns.consultations.answers import blank_body, with_answer
from campaigns.consultations.importing import ConsultationDetails, QuestionDraft
from campaigns.consultations.models import (
    Consultation,
    ConsultationResponse,
    Outcome,
    OutcomeAsk,
    Question,
    Verdict,
)
from campaigns.consultations.sending import WAYS, department_target, ways_to_respond
from campaigns.consultations.updates import outcome_update
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.mailings import queries as mailing_queries
from campaigns.mailings import services as mailings
from campaigns.mailings.models import Mailing
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission
from campaigns.organisations.permissions import can as can_for_organisation
from campaigns.slugs import free_slug
from campaigns.statements import permissions as statement_permissions
from campaigns.statements import services as statements
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Revision, Topic
from campaigns.statements.permissions import Action
from campaigns.statements.services import Draft
from campaigns.submissions import services as submissions
from campaigns.submissions.models import Channel, Submission
from campaigns.submissions.services import SubmissionDetails
from campaigns.templating import format_datetime

#: More questions than any consultation asks: a paste this long is a mistake.
MAX_QUESTIONS = 300


class AlreadyResponding(Conflict):
    """The organisation already leads a response to this consultation: the one to carry on with."""

    def __init__(self, message: str, existing: ConsultationResponse | None = None) -> None:
        super().__init__(message)
        self.existing = existing


def _already_responding(organisation: Organisation, existing: ConsultationResponse | None) -> AlreadyResponding:
    return AlreadyResponding(
        f"{organisation.name} already leads a response to this consultation. Carry on with that one: an "
        "organisation leads one response to a consultation, and invites its partners as co-authors.",
        existing,
    )


class BadDates(DomainError):
    """The closing time is not after the opening time."""


def may_keep(user: User, consultation: Consultation) -> bool:
    """Whether the person may change the consultation: an editor of the organisation that added it, or a platform
    admin."""
    if not user.is_authenticated:
        return False
    return user.is_platform_admin or can_for_organisation(user, consultation.organisation, Permission.EDIT_STATEMENTS)


def _check(details: ConsultationDetails) -> None:
    if details.opens_at is not None and details.closes_at <= details.opens_at:
        raise BadDates("The closing date and time must be after the opening date and time.")


def _apply(consultation: Consultation, details: ConsultationDetails) -> None:
    for name in (
        "title",
        "department",
        "link",
        "summary",
        "opens_at",
        "closes_at",
        "response_email",
        "response_url",
        "postal_address",
    ):
        setattr(consultation, name, getattr(details, name))


def add_consultation(details: ConsultationDetails, *, actor: User, organisation: Organisation) -> Consultation:
    """Add a consultation for everyone on Common Ground to respond to; `organisation`'s editors keep it."""
    if not can_for_organisation(actor, organisation, Permission.EDIT_STATEMENTS):
        raise PermissionDenied(f"Only editors and admins of {organisation.name} can add a consultation for it.")
    _check(details)
    consultation = Consultation(
        slug=free_slug(Consultation.slug, details.title, max_length=80, fallback="consultation"),
        organisation_id=organisation.id,
        created_by_id=actor.id,
    )
    _apply(consultation, details)
    with constraint_errors({"uq_consultations_slug": lambda: Conflict("That consultation was added a moment ago.")}):
        db.session.add(consultation)
    record("consultation.added", consultation, organisation=organisation, title=consultation.title, actor=actor)
    return consultation


def update_consultation(consultation: Consultation, details: ConsultationDetails, *, actor: User) -> None:
    """Change a consultation's details (a closing date moved, a new way to respond)."""
    if not may_keep(actor, consultation):
        raise PermissionDenied(f"Only editors of {consultation.organisation.name} can change this consultation.")
    _check(details)
    _apply(consultation, details)
    record("consultation.updated", consultation, title=consultation.title, actor=actor)
    db.session.flush()


def set_questions(consultation: Consultation, questions: list[QuestionDraft], *, actor: User) -> None:
    """Replace the consultation's questions with these, in this order; numbers must differ."""
    if not may_keep(actor, consultation):
        raise PermissionDenied(f"Only editors of {consultation.organisation.name} can change this consultation.")
    if not questions:
        raise DomainError("No numbered questions were found. Start each with its number, like ‘Question 1’ or ‘1.’")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(f"That is more than {MAX_QUESTIONS} questions. Paste the questions only.")
    numbers = [q.number for q in questions]
    if twice := sorted({n for n in numbers if numbers.count(n) > 1}):
        raise DomainError(f"More than one question is numbered {', '.join(twice)}. Give each its own number.")
    if empty := [q.number for q in questions if not q.text.strip()]:
        raise DomainError(f"Question {empty[0]} has no text.")
    consultation.questions.clear()
    db.session.flush()  # the old rows go before the new ones take their numbers
    for position, draft in enumerate(questions, start=1):
        consultation.questions.append(
            Question(
                position=position,
                number=draft.number[:20],
                section=draft.section[:300],
                text=draft.text.strip(),
                guidance=draft.guidance.strip(),
            )
        )
    record("consultation.questions_set", consultation, questions=len(questions), actor=actor)
    db.session.flush()


# Responses: a statement whose body answers the consultation's questions (answers.py)


class ConsultationClosed(Conflict):
    """The consultation has closed: no new response can be started for it."""


def start_response(
    consultation: Consultation, *, actor: User, organisation: Organisation, now: datetime
) -> ConsultationResponse:
    """Start a statement led by `organisation` answering the consultation, every question unanswered."""
    if not consultation.questions:
        raise DomainError("This consultation has no questions yet: add them before starting a response.")
    if now >= consultation.closes_at:
        raise ConsultationClosed("This consultation has closed: a new response can no longer be sent to it.")
    existing = queries.response_led_by(consultation, [organisation.id])
    if existing is not None:
        raise _already_responding(organisation, existing)
    title = f"Response to ‘{consultation.title}’"
    if len(title) > 200:
        title = title[:198].rstrip() + "…’"
    summary = (
        f"A joint response to the {consultation.department} consultation, closing "
        f"{format_datetime(consultation.closes_at)} (UK time)."
    )
    draft = Draft(
        text=StatementText(title, summary, blank_body(consultation.questions), ()),
        topics=frozenset({Topic.OTHER}),
        change_note="Started as a response to the consultation.",
    )
    statement = statements.start(draft, actor=actor, organisation=organisation)
    response = ConsultationResponse(
        statement_id=statement.id,
        consultation_id=consultation.id,
        lead_organisation_id=organisation.id,
        not_answering=[],
    )
    # Two people starting one at the same moment: the second is told, and the request's rollback takes its draft.
    with constraint_errors({"uq_consultation_responses_one_per_lead": lambda: _already_responding(organisation, None)}):
        db.session.add(response)
    record(
        "consultation.response_started", consultation, organisation=organisation, statement=statement.id, actor=actor
    )
    db.session.flush()
    return response


def save_answer(
    response: ConsultationResponse,
    question: Question,
    answer: str,
    *,
    based_on: Revision,
    actor: User,
    acting_for: Organisation | None = None,
) -> tuple[Revision, bool]:
    """Save one answer, written from `based_on`, as a new revision of the whole response: an edit of the statement,
    merged with anything saved since (only a change to the same answer conflicts)."""
    base = statements.text_of(based_on)
    text = dataclasses.replace(base, body=with_answer(base.body, question, answer))
    draft = Draft(text, frozenset(based_on.topic_values), change_note=f"Answer to question {question.number}")
    return statements.save(response.statement, draft, based_on=based_on, actor=actor, acting_for=acting_for)


def set_not_answering(response: ConsultationResponse, question: Question, *, actor: User, not_answering: bool) -> None:
    """The lead says whether the partners will answer a question (those they will not are shown, and not asked)."""
    if not statement_permissions.can(actor, response.statement, Action.MANAGE_PARTICIPANTS):
        raise PermissionDenied("Only the lead organisation’s editors can say which questions will not be answered.")
    numbers = [n for n in response.not_answering if n != question.number]
    if not_answering:
        numbers.append(question.number)
    response.not_answering = numbers
    record(
        "consultation.question_not_answered" if not_answering else "consultation.question_answered_again",
        response.statement,
        question=question.number,
        actor=actor,
    )
    db.session.flush()


def refuse_sending_after_closing(consultation: Consultation, now: datetime) -> None:
    """Refuse (ConsultationClosed) to record a response as sent to the consultation once it has closed at `now`."""
    if now >= consultation.closes_at:
        raise ConsultationClosed(
            "This consultation closed on "
            f"{format_datetime(consultation.closes_at)}: the response can no longer be sent to it. It can still be "
            "published."
        )


def send_response(
    response: ConsultationResponse,
    way: str,
    *,
    sent_on: date,
    reference: str,
    actor: User,
    now: datetime,
    today: date,
    acting_for: Organisation | None = None,
) -> Submission:
    """Record the agreed response as sent to the consulting department the consultation's `way` ("email",
    "online", "post"): a submission, with the signatories frozen as the submissions area freezes them. Refused once
    the consultation has closed."""
    consultation = response.consultation
    refuse_sending_after_closing(consultation, now)
    ways = ways_to_respond(consultation)
    if way not in ways:
        raise DomainError("Choose one of the ways the consultation takes responses.")
    target = department_target(consultation, response.statement, actor=actor)
    details = SubmissionDetails(
        channel=Channel.CONSULTATION,
        sent_on=sent_on,
        reference=reference,
        sent_by=actor.name,
        notes=f"Response to ‘{consultation.title}’, sent {WAYS[way]} {ways[way]}.",
    )
    (submission,) = submissions.record_submissions(
        response.statement, [target], details, actor=actor, today=today, acting_for=acting_for
    )
    record("consultation.response_sent", consultation, statement=response.statement.id, way=way, actor=actor)
    return submission


@dataclasses.dataclass(frozen=True)
class OutcomeDetails:
    """The government's response as the owners record it; `verdicts` in the order of the agreed text's asks."""

    published_on: date
    summary: str
    link: str = ""
    verdicts: tuple[Verdict, ...] = ()


def record_outcome(response: ConsultationResponse, details: OutcomeDetails, *, actor: User) -> Outcome:
    """Record (or correct) the government's response to the consultation, with a verdict on each of the asks of the
    agreed response: for its owners, the editors of its co-author organisations."""
    statement = response.statement
    if not statement_permissions.can(actor, statement, Action.EDIT):
        raise PermissionDenied("Only the response’s editors can record the government’s response.")
    agreed = statement.agreed_revision
    if agreed is None:
        raise DomainError("Only an agreed response has asks to record outcomes for. Agree it first.")
    asks = list(agreed.asks)
    if len(details.verdicts) != len(asks):
        raise DomainError("Say for each ask whether it was accepted, partly accepted or rejected.")
    outcome = response.outcome
    if outcome is None:
        outcome = Outcome(response_id=response.id)
        db.session.add(outcome)
    outcome.published_on, outcome.summary, outcome.link = details.published_on, details.summary, details.link
    outcome.recorded_by_id = actor.id
    outcome.asks.clear()
    db.session.flush()
    for position, (ask, verdict) in enumerate(zip(asks, details.verdicts, strict=True), start=1):
        outcome.asks.append(OutcomeAsk(position=position, ask=ask, verdict=verdict))
    record(
        "consultation.outcome_recorded",
        statement,
        published_on=details.published_on.isoformat(),
        verdicts=[verdict.value for verdict in details.verdicts],
        actor=actor,
    )
    db.session.flush()
    return outcome


def draft_outcome_update(
    response: ConsultationResponse, *, actor: User, acting_for: Organisation | None = None
) -> Mailing:
    """Start a draft email update to the response's signatories about the government's response, a verdict per ask,
    for its writer to change; like any update, nothing is sent until someone sends it. Asked again while that draft
    is still a draft under its subject, from the same organisation (the button pressed twice), it is the same draft:
    nothing new is written."""
    if response.outcome is None:
        raise Conflict("Record the government’s response first, then write an update about it.")
    draft = outcome_update(response, response.outcome)
    sender = statement_permissions.acting_organisation(actor, response.statement, Action.EDIT, acting_for)
    earlier = mailing_queries.draft_titled(response.statement, draft.subject)
    if earlier is not None and earlier.organisation_id == sender.id:
        return earlier
    return mailings.compose(response.statement, draft, actor=actor, organisation=acting_for)
