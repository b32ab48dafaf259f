"""Forms for webhook endpoints."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length, Optional

from campaigns.forms import Required, choices, single_line, strip, submit
from campaigns.webhooks.addresses import URL_MAX
from campaigns.webhooks.models import WebhookEvent
from campaigns.webhooks.services import EndpointDetails


class EndpointForm(FlaskForm):
    url = StringField(
        "Endpoint address",
        description="The https:// address of your system that receives the events, for example "
        "https://crm.example.org/hooks/common-ground.",
        filters=[strip],
        validators=[
            Required("Enter the endpoint's address"),
            Length(max=URL_MAX, message=f"The address must be {URL_MAX} characters or fewer"),
        ],
        widget=GovTextInput(),
        render_kw={"spellcheck": "false", "autocomplete": "url"},
    )
    description = StringField(
        "Description (optional)",
        description="What it is for, so others in your organisation know, for example ‘Our CRM’.",
        filters=[single_line],
        validators=[Optional(), Length(max=200, message="The description must be 200 characters or fewer")],
        widget=GovTextInput(),
    )
    events = SelectMultipleField(
        "Which events should it get?",
        description="Events about the statements your organisation leads or co-authors.",
        choices=choices((event.value, event.label) for event in WebhookEvent),
        validators=[Required("Choose at least one event")],
        widget=GovCheckboxesInput(),
    )
    submit = submit("Add endpoint")

    def details(self) -> EndpointDetails:
        """What was entered, for the service."""
        return EndpointDetails(
            url=self.url.data or "",
            events=frozenset(WebhookEvent(value) for value in self.events.data or []),
            description=self.description.data or "",
        )
