"""Form pieces shared by every area: GOV.UK widgets, trimming, and validators with plain-English messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
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
