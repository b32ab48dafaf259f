"""Forms for personal data."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField

from campaigns.forms import current_password_field, email_field, submit

SUPPRESS_LABEL = "Never send email updates to this address again"
SUPPRESS_HINT = (
    "We keep your address on a list of addresses that get no updates, even if an organisation adds it later. "
    "Leave this unticked and we keep nothing of your address."
)


class DeleteAccountForm(FlaskForm):
    password = current_password_field("Your password", "Enter your password to confirm it is you")
    suppress = BooleanField(SUPPRESS_LABEL, description=SUPPRESS_HINT, widget=GovCheckboxInput())
    submit = submit("Delete my account")


class AdminDeleteAccountForm(FlaskForm):
    email = email_field("Email address of the account to delete")
    suppress = BooleanField(SUPPRESS_LABEL, description="Only if the person asked for it.", widget=GovCheckboxInput())
    submit = submit("Delete this account")


class DataRequestForm(FlaskForm):
    email = email_field(hint="We will email a link to this address. Only its inbox can use it.")
    submit = submit("Send me a copy")
