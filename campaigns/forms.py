"""Form pieces shared by every area: GOV.UK widgets, trimming, and validators with plain-English messages."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import Field, PasswordField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from campaigns.accounts.addresses import email_problem, normalise_email
from campaigns.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from campaigns.web_addresses import NotAWebAddress, normalise_web_address


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Options for a select or radios from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def single_line(value: Any) -> Any:
    """Collapse every run of whitespace, line breaks included, to one space: for names and titles."""
    return " ".join(value.split()) if isinstance(value, str) else value


class Required:
    """The field must have a value; a value of only spaces counts as empty."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            raise StopValidation(self.message)


class WholeNumber:
    """A hidden field carrying a number we put there (an id, a paragraph index): ASCII digits only, and short.

    Anything else means the page was tampered with or is broken; the message says to reload it.
    """

    def __init__(self, digits: int = 9) -> None:
        self.digits = digits

    def __call__(self, form: FlaskForm, field: Field) -> None:
        value = field.data or ""
        if value and not (value.isascii() and value.isdigit() and len(value) <= self.digits):
            raise ValidationError("The form was changed in a way we cannot use. Reload the page and try again.")


class EmailAddress:
    def __call__(self, form: FlaskForm, field: Field) -> None:
        problem = email_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class WebAddressInput:
    """A website address, turned into the one form every stored web address has (campaigns/web_addresses.py)."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data:
            try:
                field.data = normalise_web_address(field.data)
            except NotAWebAddress as error:
                raise ValidationError(str(error)) from None


def web_address_field(label: str, hint: str | None = None) -> StringField:
    """An optional website address: every form that stores one uses this field."""
    return StringField(
        label,
        description=hint,
        filters=[strip],
        validators=[Optional(), WebAddressInput()],
        widget=GovTextInput(),
        render_kw={"spellcheck": "false", "autocomplete": "url"},
    )


def email_field(label: str = "Email address", hint: str | None = None) -> StringField:
    return StringField(
        label,
        description=hint,
        filters=[strip],
        validators=[Required("Enter an email address"), EmailAddress()],
        widget=GovTextInput(),
        render_kw={"autocomplete": "email", "spellcheck": "false", "type": "email"},
    )


def normalised_email(field: StringField) -> str:
    return normalise_email(field.data or "")


def name_field(label: str = "Full name", message: str = "Enter your full name") -> StringField:
    return StringField(
        label,
        filters=[single_line],
        validators=[Required(message), Length(max=200, message="Name must be 200 characters or fewer")],
        widget=GovTextInput(),
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )


def new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        description=f"At least {MIN_LENGTH} characters. Three or more random words make a strong password "
        "that is easy to remember.",
        validators=[
            Required("Enter a password"),
            Length(min=MIN_LENGTH, message=f"Password must be at least {MIN_LENGTH} characters"),
            Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer"),
        ],
        widget=GovPasswordInput(),
        render_kw={"autocomplete": "new-password"},
    )


def current_password_field(label: str = "Password", message: str = "Enter your password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            Required(message),
            Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer"),
        ],
        widget=GovPasswordInput(),
        render_kw={"autocomplete": "current-password"},
    )


def submit(label: str) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for actions confirmed on a page of their own."""

    submit = submit("Confirm")


# Dates and times, asked for as the GOV.UK Design System asks for them. Every date and time is UK time.

DATE_PARTS = ("day", "month", "year")
_MONTH_NAMES = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def _month(text: str) -> int | None:
    """A month typed as a number (3, 03) or a name (March, mar): GOV.UK asks services to accept both."""
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return int(text)
    return _MONTH_NAMES.get(text.lower().rstrip("."))


class DateInputWidget(GovDateInput):
    """The govuk-frontend date input macro: three boxes under one name, the error state on the boxes at fault."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = GovFormBase.map_gov_params(self, field, **kwargs)
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        at_fault = field.parts_at_fault() if isinstance(field, DateInputField) else ()
        widths = {"day": 2, "month": 2, "year": 4}
        params["items"] = [
            {
                "label": part.capitalize(),
                "id": f"{field.id}-{part}",
                "name": field.name,
                "classes": f"govuk-input--width-{widths[part]}" + (" govuk-input--error" if part in at_fault else ""),
                "value": value,
            }
            for part, value in zip(DATE_PARTS, field.shown_parts(), strict=True)
        ]
        return params


class _TypedField(Field):
    """A field read from what a person typed: `called` names it in messages, `required` is the "Enter …" message.

    When what was typed cannot be read, that message is the one shown: no other check runs.
    """

    #: The hint when the form gives none.
    example = ""
    attributes: dict[str, str] = {}

    def __init__(
        self,
        label: str,
        *,
        called: str | None = None,
        required: str | None = None,
        description: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("render_kw", self.attributes)
        validators = [Required(required)] if required else []
        super().__init__(label, validators=validators, description=description or self.example, **kwargs)
        self.called = called or label.removesuffix(" (optional)")

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:
            raise StopValidation()


class DateInputField(_TypedField):
    """A date typed in day, month and year boxes, read and checked as the GOV.UK date input pattern says.

    All three empty is no date (None), or "Enter …" (`required`, the whole message). `called` names the date in
    the other messages: "Closing date must include a month", "Closing date must be a real date". What was typed
    is shown back as typed.
    """

    widget = DateInputWidget()
    example = "For example, 27 3 2027"
    _at_fault: tuple[str, ...] = DATE_PARTS

    def _value(self) -> str:
        return ""

    def shown_parts(self) -> list[str]:
        """The three boxes' values: as typed, or the date's."""
        typed = getattr(self, "raw_data", None)
        if typed:
            return list(typed)
        if isinstance(self.data, date):
            return [str(self.data.day), str(self.data.month), str(self.data.year)]
        return ["", "", ""]

    def parts_at_fault(self) -> tuple[str, ...]:
        """The boxes in the error state: the ones the first message is about, or all three."""
        if not self.errors:
            return ()
        return self._at_fault if self.errors[0] in self.process_errors else DATE_PARTS

    @property
    def error_anchor(self) -> str:
        """Where the error summary links to: the first box at fault."""
        return f"{self.id}-{(self.parts_at_fault() or DATE_PARTS)[0]}"

    def _refuse(self, message: str, parts: Iterable[str] = DATE_PARTS) -> None:
        self._at_fault = tuple(parts)
        raise ValueError(message)

    def process_formdata(self, valuelist: list[Any]) -> None:
        typed = [str(value).strip() for value in valuelist[:3]]
        self.raw_data = typed = typed + [""] * (3 - len(typed))  # always three boxes, whatever was sent
        self.data = None
        if not any(typed):
            return
        missing = [part for part, value in zip(DATE_PARTS, typed, strict=True) if not value]
        if missing:
            # One part missing: that box is at fault; more than one: the whole date.
            at_fault = missing if len(missing) == 1 else DATE_PARTS
            self._refuse(f"{self.called} must include a {' and '.join(missing)}", at_fault)
        day_text, month_text, year_text = typed
        found = _DAY.match(day_text.lower())
        day, month = int(found[1]) if found else 0, _month(month_text) or 0
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else 0
        wrong = [part for part, ok in (("day", 1 <= day <= 31), ("month", 1 <= month <= 12), ("year", year)) if not ok]
        if wrong:
            self._refuse(f"{self.called} must be a real date", wrong)
        if len(year_text) != 4:
            self._refuse("Year must include 4 numbers", ["year"])
        if year < 1000:
            self._refuse(f"{self.called} must be a real date", ["year"])
        if day > calendar.monthrange(year, month)[1]:
            self._refuse(f"{self.called} must be a real date", ["day"])  # 31 February, or 29 in a common year
        self.data = date(year, month, day)


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?([ap])?\.?m?\.?$")
_NAMED_TIMES = {"midday": time(12), "noon": time(12), "12noon": time(12), "midnight": time(0)}


def parse_time(text: str) -> time | None:
    """'9am', '9:30am', '2.15pm', '14:30', 'midday', 'midnight' → a time; anything else → None."""
    text = text.strip().lower().replace(" ", "")
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    found = _TIME.match(text)
    if not found:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(value: time) -> str:
    """A time as GOV.UK writes it: 9am, 2:30pm, midday, midnight."""
    if value == time(0):
        return "midnight"
    if value == time(12):
        return "midday"
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}".replace(":00", "")


class TimeInputField(_TypedField):
    """A time of day in one box, written as people write times: 9am, 2:30pm, 14:30 or midday (UK time).

    Shown back as typed, or GOV.UK style (9:30am). Empty is no time (None), or "Enter …" (`required`).
    """

    widget = GovTextInput()
    example = "For example, 9am, 2:30pm or 14:30"
    attributes = {"spellcheck": "false", "autocomplete": "off"}

    def _value(self) -> str:
        typed = getattr(self, "raw_data", None)
        if typed:
            return str(typed[0])
        return format_time(self.data) if isinstance(self.data, time) else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = parse_time(text) if text else None
        if text and self.data is None:
            raise ValueError(f"{self.called} must be a real time, like 9am, 2:30pm or 14:30")


def error_summary_params(form: FlaskForm) -> dict[str, Any]:
    """The error summary's parameters: each error links to its field; a date's to the first box at fault."""
    params = wtforms_errors(form)
    anchors = {f"#{field.id}": f"#{field.error_anchor}" for field in form if isinstance(field, DateInputField)}
    for item in params["errorList"]:
        item["href"] = anchors.get(item["href"], item["href"])
    return params
