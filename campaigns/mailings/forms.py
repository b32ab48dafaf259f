"""Forms for email updates: the update itself, and when to send it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from campaigns.forms import DateInputField, Required, TimeInputField, choices, single_line, strip, submit
from campaigns.mailings.audience import KIND_PLURALS
from campaigns.mailings.models import AUDIENCE_LABELS, Audience, Mailing
from campaigns.mailings.services import BODY_MAX, NARROWED_WITHOUT_FILTER, REASON_MAX, SUBJECT_MAX, UpdateDraft
from campaigns.organisations.models import REGIONS, OrganisationKind
from campaigns.timezone import LONDON


class UpdateForm(FlaskForm):
    subject = StringField(
        "Subject",
        filters=[single_line],
        validators=[
            Required("Enter a subject"),
            Length(max=SUBJECT_MAX, message=f"Subject must be {SUBJECT_MAX} characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    body = TextAreaField(
        "The update",
        description="You can use Markdown: ## for a heading, * for a bulleted list, **bold**, "
        "[link text](https://example.org). Write ((name)) for the signatory’s name and ((organisation)) for "
        "their organisation’s.",
        filters=[strip],
        validators=[
            Required("Enter the text of the update"),
            Length(max=BODY_MAX, message=f"The update must be {BODY_MAX:,} characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    audience = RadioField(
        "Who should get it?",
        choices=choices((audience.value, label) for audience, label in AUDIENCE_LABELS.items()),
        default=Audience.SIGNATORIES.value,
        validators=[Required("Choose who should get the update")],
        widget=GovRadioInput(),
    )
    kind = SelectField(
        "Kind of organisation",
        choices=choices([("", "Any kind"), *((kind.value, label) for kind, label in KIND_PLURALS.items())]),
        default="",
        widget=GovSelect(),
    )
    region = SelectField(
        "Region",
        choices=choices([("", "Any region"), *REGIONS.items()]),
        default="",
        widget=GovSelect(),
    )
    submit = submit("Save and preview")

    def validate_region(self, field: SelectField) -> None:
        if self.audience.data == Audience.FILTERED.value and not field.data and not self.kind.data:
            raise ValidationError("Choose a kind of organisation or a region, or send to all signatories")

    def validate_audience(self, field: RadioField) -> None:
        # A kind or region chosen with another audience would be ignored: say so rather than send more widely.
        if field.data != Audience.FILTERED.value and (self.kind.data or self.region.data):
            raise ValidationError(NARROWED_WITHOUT_FILTER)

    def to_draft(self) -> UpdateDraft:
        return UpdateDraft(
            subject=self.subject.data,
            body=self.body.data,
            audience=Audience(self.audience.data),
            kind=OrganisationKind(self.kind.data) if self.kind.data else None,
            region=self.region.data or None,
        )

    def fill(self, mailing: Mailing) -> None:
        self.subject.data, self.body.data, self.audience.data = mailing.subject, mailing.body, mailing.audience.value
        self.kind.data = mailing.audience_kind.value if mailing.audience_kind else ""
        self.region.data = mailing.audience_region or ""


class SendForm(FlaskForm):
    when = RadioField(
        "When should it go?",
        choices=choices([("now", "Now"), ("later", "At a time I choose")]),
        default="now",
        validators=[Required("Choose when to send the update")],
        widget=GovRadioInput(),
    )
    send_on = DateInputField("Date", called="Date to send", description="For example, 1 12 2026")
    send_at = TimeInputField("Time", called="Time to send", description="UK time, for example 9am, 2:30pm or 14:30")
    submit = submit("Send the update")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.when.data != "later":
            # Sending now: whatever is left in the date and time boxes does not matter.
            self.send_on.errors, self.send_at.errors = [], []
            return not self.errors
        return valid

    def validate_send_on(self, field: DateInputField) -> None:
        if self.when.data == "later" and field.data is None:
            raise ValidationError("Enter the date to send it")

    def validate_send_at(self, field: TimeInputField) -> None:
        if self.when.data == "later" and field.data is None:
            raise ValidationError("Enter the time to send it, like 9am or 14:30")

    def scheduled_at(self) -> datetime | None:
        """When to send it, UK time; None to send now."""
        if self.when.data != "later" or self.send_on.data is None or self.send_at.data is None:
            return None
        return datetime.combine(self.send_on.data, self.send_at.data, tzinfo=LONDON)


class ApprovalSettingForm(FlaskForm):
    approval_required = RadioField(
        "Must another co-author organisation approve each update?",
        choices=choices([("yes", "Yes"), ("no", "No, any co-author editor may send updates")]),
        validators=[Required("Choose yes or no")],
        widget=GovRadioInput(),
    )
    submit = submit("Save")


class SendBackForm(FlaskForm):
    reason = TextAreaField(
        "What should change?",
        description="The writers get this in an email, and see it on the update.",
        filters=[strip],
        validators=[
            Required("Say what should change, so the writers know what to do"),
            Length(max=REASON_MAX, message=f"The reason must be {REASON_MAX:,} characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    submit = submit("Send it back")
