"""Forms for a consultation's details, importing a GOV.UK content item, and its questions."""

from __future__ import annotations

from datetime import datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from campaigns.consultations.importing import ConsultationDetails
from campaigns.consultations.models import Consultation, Verdict
from campaigns.forms import (
    DateInputField,
    EmailAddress,
    Required,
    TimeInputField,
    WholeNumber,
    choices,
    single_line,
    strip,
    submit,
    web_address_field,
)
from campaigns.timezone import LONDON


def _line(label: str, max_length: int, *, message: str | None = None, hint: str | None = None) -> StringField:
    validators: list = [Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")]
    if message:
        validators.insert(0, Required(message))
    return StringField(label, description=hint, filters=[single_line], validators=validators, widget=GovTextInput())


def _text(label: str, max_length: int, hint: str | None = None, message: str | None = None) -> TextAreaField:
    name = label.removesuffix(" (optional)")
    validators: list = [Length(max=max_length, message=f"{name} must be {max_length:,} characters or fewer")]
    if message:
        validators.insert(0, Required(message))
    return TextAreaField(label, description=hint, filters=[strip], validators=validators, widget=GovTextArea())


class ConsultationForm(FlaskForm):
    """A consultation's details, typed by hand or read from a content item and checked."""

    title = _line("Title", 300, message="Enter the consultation’s title")
    department = _line("Department", 300, message="Enter the department running it", hint="For example, HM Treasury.")
    link = web_address_field(
        "Web page (optional)", "Its page on GOV.UK, for example www.gov.uk/government/consultations/…"
    )
    summary = _text("Summary (optional)", 5000)
    opens_on = DateInputField("Opening date (optional)", called="Opening date")
    opens_time = TimeInputField(
        "Opening time (optional)", description="UK time. Leave it empty for the start of the day."
    )
    closes_on = DateInputField("Closing date", called="Closing date", required="Enter the closing date")
    closes_time = TimeInputField(
        "Closing time",
        required="Enter the closing time",
        description="UK time, as the consultation gives it: for example 11:59pm or 5pm.",
    )
    response_email = StringField(
        "Email address for responses (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=320, message="The email address must be 320 characters or fewer"),
            EmailAddress(),
        ],
        widget=GovTextInput(),
        render_kw={"spellcheck": "false", "type": "email"},
    )
    response_url = web_address_field("Online response form (optional)", "The address of the form to respond online")
    postal_address = _text("Postal address for responses (optional)", 1000)
    submit = submit("Save consultation")

    def validate_opens_time(self, field: TimeInputField) -> None:
        if field.data is not None and self.opens_on.data is None and not self.opens_on.errors:
            raise ValidationError("Enter the opening date as well as the time, or leave both empty")

    def fill(self, details: ConsultationDetails | Consultation) -> None:
        """Show these details in the form (a saved consultation, or one read from a content item)."""
        for name in ("title", "department", "link", "summary", "response_email", "response_url", "postal_address"):
            getattr(self, name).data = getattr(details, name)
        closes = details.closes_at.astimezone(LONDON)
        self.closes_on.data, self.closes_time.data = closes.date(), closes.time().replace(second=0, microsecond=0)
        if details.opens_at is not None:
            opens = details.opens_at.astimezone(LONDON)
            self.opens_on.data, self.opens_time.data = opens.date(), opens.time().replace(second=0, microsecond=0)

    def details(self) -> ConsultationDetails:
        """What was entered, with the dates and times read as UK time."""
        assert self.closes_on.data is not None and self.closes_time.data is not None  # required: validated
        opens_at = None
        if self.opens_on.data is not None:
            opens_at = datetime.combine(self.opens_on.data, self.opens_time.data or time(0), tzinfo=LONDON)
        return ConsultationDetails(
            title=self.title.data,
            department=self.department.data,
            link=self.link.data or "",
            summary=self.summary.data or "",
            opens_at=opens_at,
            closes_at=datetime.combine(self.closes_on.data, self.closes_time.data, tzinfo=LONDON),
            response_email=self.response_email.data or "",
            response_url=self.response_url.data or "",
            postal_address=self.postal_address.data or "",
        )


def organisation_field(label: str, hint: str) -> RadioField:
    """Which of the person's organisations acts: its choices are set by the view."""
    return RadioField(label, coerce=int, widget=GovRadioInput(), validate_choice=True, description=hint)


class NewConsultationForm(ConsultationForm):
    organisation = organisation_field(
        "Which organisation is adding it?", "Its editors can change the consultation’s details and questions later."
    )


class ImportForm(FlaskForm):
    content_item = _text(
        "The page’s content item",
        1_000_000,
        hint="Open the consultation’s page on GOV.UK, put ‘/api/content’ after ‘www.gov.uk’ in the address (for "
        "example www.gov.uk/api/content/government/consultations/…), and copy and paste all of what it shows.",
        message="Paste the content item",
    )
    submit = submit("Read the details")


class QuestionsForm(FlaskForm):
    questions = _text(
        "The questions",
        200_000,
        hint="Paste them from the consultation document. Start each question with its number, as the document "
        "numbers it (‘Question 4’, ‘Q4’ or ‘4.’). A line starting ‘Section’, ‘Chapter’ or ‘Part’, or with #, is a "
        "section heading. The paragraphs after a question are its guidance.",
        message="Paste the questions",
    )
    split = submit("Split into questions")
    save = submit("Save these questions")


class StartResponseForm(FlaskForm):
    organisation = organisation_field(
        "Which organisation leads the response?",
        "It invites the other organisations to co-author the response, as with any statement.",
    )
    submit = submit("Start the response")


class AnswerForm(FlaskForm):
    answer = _text(
        "Your answer",
        50_000,
        hint="Leave it empty if the question is not answered yet. Markdown works as in the rest of the statement.",
    )
    based_on = HiddenField(validators=[WholeNumber()])
    submit = submit("Save the answer")


class NotAnsweringForm(FlaskForm):
    """The lead's button: the partners will (not) answer this question."""

    submit = submit("Save")


class SendForm(FlaskForm):
    way = RadioField(
        "How was it sent?",
        widget=GovRadioInput(),
        validate_choice=True,
        validators=[Required("Choose how it was sent")],
    )
    sent_on = DateInputField("Date sent", called="Date sent", required="Enter the date it was sent")
    reference = _line("Reference (optional)", 200, hint="A receipt number or the online form’s confirmation.")
    submit = submit("Record it as sent")


class OutcomeForm(FlaskForm):
    """The government's response; `with_asks` adds a question for each ask of the agreed text."""

    published_on = DateInputField(
        "Date the government published its response", called="Date published", required="Enter the date it published"
    )
    link = web_address_field("Its web page (optional)", "For example, the consultation outcome on GOV.UK")
    summary = _text("Summary", 5000, message="Summarise what the government said")
    submit = submit("Save the government’s response")

    @classmethod
    def with_asks(cls, asks: list[str]) -> type[OutcomeForm]:
        """The form class with a radio question ask_1, ask_2 … for each ask, in order."""
        verdicts = choices((verdict.value, verdict.label) for verdict in Verdict)
        message = "Say whether this ask was accepted, partly accepted or rejected"
        fields = {
            f"ask_{position}": RadioField(
                ask,
                choices=verdicts,
                widget=GovRadioInput(),
                validate_choice=False,  # one message for a missing and a wrong choice: the validators'
                validators=[Required(message), AnyOf([verdict.value for verdict in Verdict], message=message)],
            )
            for position, ask in enumerate(asks, start=1)
        }
        return type("AsksOutcomeForm", (cls,), fields)

    def verdicts(self, count: int) -> tuple[Verdict, ...]:
        """The verdict chosen for each of the `count` asks, in order."""
        return tuple(Verdict(getattr(self, f"ask_{position}").data) for position in range(1, count + 1))
