"""The form for making an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length

from campaigns.api.models import Scope
from campaigns.forms import Required, choices, strip


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        description="What the token is for, so you can tell it apart later, e.g. “CiviCRM sync”.",
        filters=[strip],
        validators=[Required("Enter a name for the token"), Length(max=100, message="Keep the name to 100 characters")],
        widget=GovTextInput(),
    )
    scopes = SelectMultipleField(
        "What may it read?",
        choices=choices((scope.value, scope.label) for scope in Scope),
        validators=[Required("Choose what the token may read")],
        widget=GovCheckboxesInput(),
    )

    def chosen(self) -> list[Scope]:
        return [Scope(value) for value in self.scopes.data or [] if value in Scope._value2member_map_]
