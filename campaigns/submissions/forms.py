"""Forms for targets, recording submissions and responses, dates and attachments."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from campaigns.forms import DateInputField, Required, choices, single_line, strip, submit, web_address_field
from campaigns.submissions.models import Channel, ResponseKind, Stance, TargetKind


def _line(label: str, max_length: int, *, message: str | None = None, hint: str | None = None) -> StringField:
    validators: list = [Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")]
    if message:
        validators.insert(0, Required(message))
    return StringField(label, description=hint, filters=[single_line], validators=validators, widget=GovTextInput())


def _text(label: str, max_length: int = 20000, hint: str | None = None, message: str | None = None) -> TextAreaField:
    validators: list = [Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")]
    if message:
        validators.insert(0, Required(message))
    return TextAreaField(label, description=hint, filters=[strip], validators=validators, widget=GovTextArea())


class TargetForm(FlaskForm):
    kind = RadioField(
        "What kind of body is it?",
        choices=choices((kind.value, kind.label) for kind in TargetKind),
        validators=[Required("Choose what kind of body it is")],
        widget=GovRadioInput(),
    )
    name = _line("Name", 200, message="Enter the name")
    short_name = _line("Short name (optional)", 60, hint="For example, ‘DWP’.")
    website = web_address_field("Website (optional)", "For example, www.gov.uk/government/organisations/hm-treasury")
    contact_email = _line("Contact email address (optional)", 320)
    postal_address = _text("Postal address (optional)", 1000)
    notes = _text("Notes (optional)", 5000)
    submit = submit("Save target")


class StatementTargetForm(TargetForm):
    """Editors add a body of kind "other" to their own statement: no kind question."""

    kind = None
    submit = submit("Add target")


class RetireForm(FlaskForm):
    submit = submit("Retire target")


class SubmissionForm(FlaskForm):
    targets = SelectMultipleField(
        "Who was it sent to?",
        description="Choose every target it went to. Each gets its own submission to track.",
        coerce=str,
        validators=[Required("Choose at least one target")],
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    status = RadioField(
        "Has it been sent?",
        choices=choices([("sent", "Yes, it has been sent"), ("planned", "No, it is planned")]),
        default="sent",
        validators=[Required("Say whether it has been sent")],
        widget=GovRadioInput(),
    )
    channel = SelectField(
        "How was it sent?",
        choices=choices((channel.value, channel.label) for channel in Channel),
        validators=[Required("Choose how it was sent")],
        widget=GovSelect(),
    )
    sent_on = DateInputField("Date sent", description="For example, 27 3 2026")
    revision = SelectField("Which agreed text was sent?", widget=GovSelect(), validate_choice=False)
    reference = _line("Reference (optional)", 200, hint="A letter reference or consultation number.")
    sent_by = _line("Sent by (optional)", 200, hint="The person who sent it.")
    notes = _text("Notes (optional)", 5000)
    submit = submit("Record submission")

    def validate_sent_on(self, field: DateInputField) -> None:
        if self.status.data == "sent" and field.data is None:
            raise ValidationError("Enter the date it was sent")


class DatesForm(FlaskForm):
    expected_by = DateInputField(
        "Reply expected by", called="Date a reply is expected by", required="Enter the date a reply is expected by"
    )
    promised_by = DateInputField(
        "Reply promised by (optional)",
        called="Date a reply was promised by",
        description="A later date the target promised to reply by.",
    )
    submit = submit("Save dates")


class SentForm(FlaskForm):
    sent_on = DateInputField("Date sent", required="Enter the date it was sent", description="For example, 27 3 2026")
    submit = submit("Record as sent")


class ResponseForm(FlaskForm):
    kind = RadioField(
        "What kind of reply is it?",
        choices=choices((kind.value, kind.label) for kind in ResponseKind),
        validators=[Required("Choose what kind of reply it is")],
        widget=GovRadioInput(),
    )
    received_on = DateInputField(
        "Date received", required="Enter the date the reply was received", description="For example, 27 3 2026"
    )
    from_whom = _line(
        "From whom", 200, message="Enter who the reply is from", hint="For example, ‘Minister for Local Government’."
    )
    summary = _text("Summary", 5000, message="Enter a summary of the reply")
    full_text = _text("Full text (optional)", 100000, "Paste the reply, or attach it on the next page.")
    stance = RadioField(
        "What is their position on the statement?",
        choices=choices((stance.value, stance.label) for stance in Stance),
        default=Stance.NO_POSITION.value,
        validators=[Required("Choose their position")],
        widget=GovRadioInput(),
    )
    is_public = BooleanField(
        "Show this reply publicly",
        description="Otherwise the public pages show only that a reply was received.",
        widget=GovCheckboxInput(),
    )
    promised_by = DateInputField(
        "Reply promised by (optional)",
        called="Date a reply was promised by",
        description="For a holding reply: when they promised a full reply.",
    )
    follow_up = _text("Follow-up notes (optional)", 5000)
    submit = submit("Save reply")


class AttachmentForm(FlaskForm):
    file = FileField(
        "Attach a file",
        description="PDF, Word (DOCX) or OpenDocument (ODT), up to 10 MB.",
        validators=[Required("Choose a file to attach")],
        widget=GovFileInput(),
    )
    #: What the file belongs to: the submission ("") or one of its replies (the reply's id).
    belongs_to = SelectField("What is it?", widget=GovSelect(), validate_choice=False)
    submit = submit("Upload file")


class CloseForm(FlaskForm):
    submit = submit("Close this submission")
