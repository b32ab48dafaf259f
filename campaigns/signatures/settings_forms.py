"""The owners' settings form: the shared GOV.UK date and time fields, and numbers as people type them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextInput
from wtforms import BooleanField, Field, HiddenField, StringField
from wtforms.validators import ValidationError

from campaigns.forms import DateInputField, TimeInputField, WholeNumber, strip, submit
from campaigns.signatures.models import SignatureSettings
from campaigns.signatures.services import SETTING_LABELS, SettingsChange
from campaigns.templating import format_date, format_datetime
from campaigns.timezone import LONDON


def whole_number(message: str) -> Any:
    """A filter-free check for an optional whole number typed by a person ("1,000" is fine)."""

    def check(_form: FlaskForm, field: Field) -> None:
        text = (field.data or "").replace(",", "").replace(" ", "")
        if text and not (text.isascii() and text.isdigit() and len(text) <= 9):
            raise ValidationError(message)

    return check


def number_field(label: str, description: str, message: str) -> StringField:
    """An optional whole number, typed as text so a mistake comes back as written."""
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[whole_number(message)],
        widget=GovTextInput(),
        render_kw={"inputmode": "numeric", "spellcheck": "false"},
    )


def as_number(text: str | None) -> int | None:
    cleaned = (text or "").replace(",", "").replace(" ", "")
    return int(cleaned) if cleaned else None


def end_of_day(day: date) -> datetime:
    """Signatures close at the end of the closing date, UK time."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


class SettingsForm(FlaskForm):
    closes_on = DateInputField(
        "Closing date (optional)",
        description="Signatures close at the end of this day, UK time. For example, 27 3 2027. "
        "Leave it empty to take signatures until you close the statement.",
    )
    target = number_field(
        "Target number of organisations (optional)",
        "Shown on the public page with how close you are to it.",
        "Enter the target as a whole number, like 100",
    )
    verified_only = BooleanField(
        "List verified organisations only",
        description="Organisations Common Ground has not verified yet can still sign, but are not listed or "
        "counted publicly until they are verified.",
        widget=GovCheckboxInput(),
    )
    launch_on = DateInputField(
        "Launch date (optional)",
        description="For example, 27 3 2027. Leave it empty to take signatures publicly now.",
    )
    launch_time = TimeInputField(
        "Launch time (optional)",
        description="UK time, for example 9am or 14:30. Leave it empty for midnight at the start of the day.",
    )
    earlier_version_days = number_field(
        "How many days do signatures of an earlier version keep counting? (optional)",
        "When the co-authors agree a newer version, each signatory is asked to confirm it. Leave this "
        "empty to keep counting them until they answer; 0 stops counting them straight away.",
        "Enter the number of days as a whole number, like 30",
    )
    contact_retention_months = number_field(
        "How many months after closing do we keep signers’ contact details? (optional)",
        "Once the statement has been closed this long, each signer’s name, role, email address and comment are "
        "erased; the organisations’ signatures and the lists you sent stay. Leave it empty for the most Common "
        "Ground allows.",
        "Enter the number of months as a whole number, like 12",
    )
    version = HiddenField(validators=[WholeNumber()])
    submit = submit("Save settings")

    #: The form field that shows a service's message about each setting.
    FIELD_FOR = {
        "closes_at": "closes_on",
        "target": "target",
        "verified_only": "verified_only",
        "launch_at": "launch_on",
        "earlier_version_days": "earlier_version_days",
        "contact_retention_months": "contact_retention_months",
    }

    def fill(self, settings: SignatureSettings) -> None:
        if settings.closes_at is not None:
            self.closes_on.data = settings.closes_at.astimezone(LONDON).date()
        self.target.data = str(settings.target) if settings.target is not None else ""
        self.verified_only.data = bool(settings.verified_only)
        if settings.launch_at is not None:
            local = settings.launch_at.astimezone(LONDON)
            self.launch_on.data = local.date()
            self.launch_time.data = local.time()
        days = settings.earlier_version_days
        self.earlier_version_days.data = str(days) if days is not None else ""
        months = settings.contact_retention_months
        self.contact_retention_months.data = str(months) if months is not None else ""
        self.version.data = str(settings.version or 1)

    def validate_launch_time(self, field: TimeInputField) -> None:
        if field.data is not None and self.launch_on.data is None and not self.launch_on.errors:
            raise ValidationError("Enter the launch date as well as the time, or leave both empty")

    def to_change(self, current: SignatureSettings) -> SettingsChange:
        """The settings as sent. A date shown unchanged keeps its saved moment, even one set to the second."""
        closes_at = end_of_day(self.closes_on.data) if self.closes_on.data else None
        if closes_at and current.closes_at and closes_at.date() == current.closes_at.astimezone(LONDON).date():
            closes_at = current.closes_at
        launch_at = None
        if self.launch_on.data is not None:
            launch_at = datetime.combine(self.launch_on.data, self.launch_time.data or time(0), tzinfo=LONDON)
            if current.launch_at and launch_at == current.launch_at.replace(second=0, microsecond=0):
                launch_at = current.launch_at
        return SettingsChange(
            closes_at=closes_at,
            target=as_number(self.target.data),
            verified_only=bool(self.verified_only.data),
            launch_at=launch_at,
            earlier_version_days=as_number(self.earlier_version_days.data),
            contact_retention_months=as_number(self.contact_retention_months.data),
        )


def describe_setting(settings: SignatureSettings, name: str) -> str:
    """A saved setting as the settings page would show it."""
    value = getattr(settings, name)
    if name == "verified_only":
        return "yes" if value else "no"
    if value is None:
        return "not set"
    if name == "closes_at":
        return format_date(value)
    if name == "launch_at":
        return format_datetime(value)
    return str(value)


def saved_values(settings: SignatureSettings, names: list[str]) -> list[tuple[str, str]]:
    """What is saved now for each of `names`, labelled: shown when someone else saved first."""
    return [(SETTING_LABELS[name], describe_setting(settings, name)) for name in names]
