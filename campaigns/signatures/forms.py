"""Forms for signing on, withdrawing and answering the emailed links."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxInput, GovRadioInput, GovTextInput
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from campaigns.forms import Required, choices, email_field, single_line, strip, submit
from campaigns.organisations.models import REGIONS, SUBTYPES, OrganisationKind
from campaigns.signatures.services import COMMENT_MAX

REASON_MAX = 2000

#: One question for a new organisation's kind and type: "council:unitary", "vcs:charity", "public_body:".
KIND_GROUPS = [
    (kind.label if kind != OrganisationKind.VCS else "Voluntary and community sector", kind, SUBTYPES[kind])
    for kind in OrganisationKind
]


def kind_and_type(raw: str | None) -> tuple[OrganisationKind, str | None] | None:
    kind_value, _, subtype = (raw or "").partition(":")
    kind = next((k for k in OrganisationKind if k.value == kind_value), None)
    if kind is None or (subtype or None) not in (SUBTYPES[kind] or {None}):
        return None
    return kind, subtype or None


def _text(label: str, max_length: int, message: str, hint: str | None = None, **render_kw: str) -> StringField:
    return StringField(
        label,
        description=hint,
        filters=[single_line],
        validators=[
            Required(message),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
        widget=GovTextInput(),
        render_kw=render_kw or None,
    )


class SignForm(FlaskForm):
    """Signing on. Who you are comes from your account when you are signed in; otherwise from the form."""

    organisation = RadioField("Which organisation are you signing for?", widget=GovRadioInput(), validate_choice=False)
    #: Without an account: the organisation by name, found among existing ones or added.
    organisation_name = _text(
        "Organisation name",
        200,
        "Enter the name of your organisation",
        "Its full name, for example ‘Northshire County Council’ or ‘Riverside Food Bank’.",
        autocomplete="organization",
        spellcheck="false",
    )
    #: Which of the organisations found by that name, or "new".
    organisation_choice = RadioField("Is it one of these?", widget=GovRadioInput(), validate_choice=False)
    organisation_type = StringField("What kind of organisation is it?")
    region = StringField("Where does it work?")
    signer_name = _text("Your name", 200, "Enter your name", autocomplete="name", spellcheck="false")
    signer_role = _text(
        "Your role",
        200,
        "Enter your role in the organisation",
        "As it will appear next to your name, for example ‘Leader of the Council’ or ‘Chief Executive’.",
        autocomplete="organization-title",
    )
    email = email_field(
        "Email address", "We will email you a link to confirm the signature. It is never shown publicly."
    )
    comment = TextAreaField(
        "Public comment (optional)",
        description="A sentence or two on why your organisation supports this statement.",
        filters=[strip],
        validators=[Length(max=COMMENT_MAX, message=f"Comment must be {COMMENT_MAX} characters or fewer")],
        widget=GovCharacterCount(),
    )
    list_publicly = BooleanField(default=True, widget=GovCheckboxInput())
    wants_updates = BooleanField(default=False, widget=GovCheckboxInput())
    #: The ids of the author organisations that may contact them: one checkbox each, none ticked at first.
    may_contact = SelectMultipleField(coerce=int, validate_choice=False)
    #: Left empty by people; filled by bots that fill every field. Hidden from sight and from screen readers.
    leave_empty = StringField("Leave this empty", filters=[strip], render_kw={"autocomplete": "off", "tabindex": "-1"})
    key = HiddenField()
    submit = submit("Sign on")

    def for_member(self, organisations: list) -> SignForm:
        """Signed in: pick among the organisations they may sign for; name and email come from the account."""
        self.organisation.choices = choices((str(o.id), o.name) for o in organisations)
        for name in ("organisation_name", "organisation_choice", "organisation_type", "region", "email"):
            del self[name]
        return self

    def for_visitor(self) -> SignForm:
        del self.organisation
        return self

    def ticked(self) -> frozenset[int]:
        """The ids of the author organisations they ticked as allowed to contact them."""
        return _ticked_ids(self.may_contact)

    def validate_organisation(self, field: RadioField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Select the organisation you are signing for")

    def organisation_details(self) -> tuple[OrganisationKind, str | None, str] | None:
        """Kind, type and region for an organisation added while signing, if all were given."""
        found = kind_and_type(self.organisation_type.data)
        if found is None or self.region.data not in REGIONS:
            return None
        return found[0], found[1], self.region.data

    def new_organisation_details(self) -> tuple[OrganisationKind, str | None, str] | None:
        """Kind, type and region for an organisation added while signing, or None with errors set."""
        if kind_and_type(self.organisation_type.data) is None:
            self.organisation_type.errors = ["Select what kind of organisation it is"]
        if self.region.data not in REGIONS:
            self.region.errors = ["Select where the organisation works"]
        return self.organisation_details()


def _ticked_ids(field: SelectMultipleField) -> frozenset[int]:
    return frozenset(field.data or ())


class ContactsForm(FlaskForm):
    """Changing which of the statement's authors may contact you, from the link in your receipt."""

    may_contact = SelectMultipleField(coerce=int, validate_choice=False)
    submit = submit("Save your choices")

    def ticked(self) -> frozenset[int]:
        return _ticked_ids(self.may_contact)


class WithdrawForm(FlaskForm):
    organisation = RadioField(
        "Which organisation’s signature are you withdrawing?", widget=GovRadioInput(), validate_choice=False
    )
    reason = TextAreaField(
        "Why are you withdrawing? (optional)",
        description="Only the statement’s authors see this. You do not have to give a reason.",
        filters=[strip],
        validators=[Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX} characters or fewer")],
        widget=GovCharacterCount(),
    )
    submit = submit("Withdraw the signature")


class HideForm(FlaskForm):
    reason = TextAreaField(
        "Why are you hiding this signature?",
        description="The signatory is sent this reason.",
        filters=[strip],
        validators=[
            Required("Say why you are hiding this signature"),
            Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )
    submit = submit("Hide the signature")


class RequestLinkForm(FlaskForm):
    email = email_field(
        "Email address", "The address you signed with. If it signed this statement, we will email it a link."
    )
    submit = submit("Email me a link")
