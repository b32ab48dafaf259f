"""Forms for accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField

from campaigns.forms import current_password_field, email_field, name_field, new_password_field, submit


class RegisterForm(FlaskForm):
    name = name_field()
    email = email_field(hint="We will send you an email to confirm it.")
    password = new_password_field()
    submit = submit("Create account")


class SignInForm(FlaskForm):
    email = email_field()
    password = current_password_field()
    submit = submit("Sign in")


class EmailOnlyForm(FlaskForm):
    email = email_field()
    submit = submit("Send the link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    submit = submit("Save new password")


class ChangePasswordForm(FlaskForm):
    current_password = current_password_field("Current password", "Enter your current password")
    new_password = new_password_field("New password")
    submit = submit("Change password")


class ChangeEmailForm(FlaskForm):
    new_email = email_field(
        "New email address", hint="We will send a link to this address. Your address changes when you follow it."
    )
    password = current_password_field("Your password", "Enter your password to confirm it is you")
    submit = submit("Send confirmation link")


class ChangeNameForm(FlaskForm):
    name = name_field()
    submit = submit("Save name")


class ActingForForm(FlaskForm):
    organisation = RadioField(
        "Which organisation are you acting for?", coerce=int, widget=GovRadioInput(), validate_choice=True
    )
    submit = submit("Continue")
