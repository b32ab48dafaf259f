"""Forms for organisations, members and invitations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSelect, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from campaigns.accounts.addresses import email_problem, normalise_email
from campaigns.forms import Required, WholeNumber, choices, email_field, single_line, strip, submit, web_address_field
from campaigns.organisations import identifiers
from campaigns.organisations.models import (
    KIND_LABELS,
    REGIONS,
    ROLE_LABELS,
    SUBTYPES,
    Organisation,
    OrganisationKind,
    Role,
)
from campaigns.organisations.services import Profile

DESCRIPTION_MAX = 2000


SUBTYPE_QUESTIONS = {
    OrganisationKind.COUNCIL: "What type of council is it?",
    OrganisationKind.VCS: "What type of organisation is it?",
}
SUBTYPE_ERRORS = {
    OrganisationKind.COUNCIL: "Select the type of council",
    OrganisationKind.VCS: "Select the type of organisation",
}
SUBTYPE_HINTS = {
    "infrastructure_body": "For example a council for voluntary service or a rural community council",
    "town_or_parish": "Including community councils and neighbourhood councils",
}


def kind_from(raw: str | None) -> OrganisationKind | None:
    """The kind named by a query or form value, or None if it names none."""
    return next((kind for kind in OrganisationKind if kind.value == raw), None)


def _optional_text(label: str, max_length: int, hint: str | None = None, **render_kw: str) -> StringField:
    return StringField(
        label,
        description=hint,
        filters=[strip],
        validators=[Optional(), Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")],
        widget=GovTextInput(),
        render_kw=render_kw or None,
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        "Organisation name",
        description="Its full name, as people would look for it, for example ‘Northshire County Council’.",
        filters=[single_line],
        validators=[
            Required("Enter the organisation’s name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        render_kw={"autocomplete": "organization", "spellcheck": "false"},
    )
    #: Chosen on the page before (or by "Change" when editing), and carried in the form.
    kind = HiddenField()
    subtype = RadioField("Type", widget=GovRadioInput(), validate_choice=False)
    region = SelectField(
        "Region",
        description="Where it works. Choose ‘UK-wide’ for a national organisation.",
        choices=choices([("", "Choose a region"), *REGIONS.items()]),
        validators=[Required("Select a region")],
        widget=GovSelect(),
        validate_choice=False,
    )
    website = web_address_field("Website (optional)", "For example, www.example.org.uk")
    contact_email = StringField(
        "Public contact email (optional)",
        description="Shown on the organisation’s public profile.",
        filters=[strip],
        widget=GovTextInput(),
        render_kw={"spellcheck": "false", "type": "email"},
    )
    description = TextAreaField(
        "Description (optional)",
        description="What the organisation does and who it works with.",
        filters=[strip],
        validators=[Length(max=DESCRIPTION_MAX, message=f"Description must be {DESCRIPTION_MAX} characters or fewer")],
        widget=GovCharacterCount(),
    )
    charity_number = _optional_text("Registered charity number (optional)", 20, spellcheck="false")
    company_number = _optional_text("Company number (optional)", 20, spellcheck="false")
    gss_code = _optional_text(
        "GSS code (optional, councils only)", 20, "The council’s ONS code, for example E07000163", spellcheck="false"
    )
    #: The version the form was loaded from; saving over a newer one is a conflict.
    version = HiddenField(validators=[WholeNumber()])
    submit = submit("Save")

    def for_kind(self, kind: OrganisationKind) -> OrganisationForm:
        """Ask the type question that fits `kind` (none for another public body)."""
        self.kind.data = kind.value
        self.subtype.label.text = SUBTYPE_QUESTIONS.get(kind, "Type")
        self.subtype.choices = choices(SUBTYPES[kind].items())
        if kind == OrganisationKind.PUBLIC_BODY:
            del self.subtype
        return self

    @property
    def chosen_kind(self) -> OrganisationKind | None:
        return kind_from(self.kind.data)

    def validate_kind(self, field: HiddenField) -> None:
        if self.chosen_kind is None:
            raise ValidationError("Choose what kind of organisation it is")

    def validate_subtype(self, field: RadioField) -> None:
        kind = self.chosen_kind
        if kind is not None and SUBTYPES[kind] and field.data not in SUBTYPES[kind]:
            raise ValidationError(SUBTYPE_ERRORS[kind])

    def validate_region(self, field: SelectField) -> None:
        if field.data not in REGIONS:
            raise ValidationError("Select a region")

    def validate_contact_email(self, field: StringField) -> None:
        if field.data:
            problem = email_problem(field.data)
            if problem:
                raise ValidationError(problem)

    def validate_charity_number(self, field: StringField) -> None:
        if field.data:
            problem = identifiers.charity_number_problem(identifiers.normalise_charity_number(field.data))
            if problem:
                raise ValidationError(problem)

    def validate_company_number(self, field: StringField) -> None:
        if field.data:
            problem = identifiers.company_number_problem(identifiers.normalise_company_number(field.data))
            if problem:
                raise ValidationError(problem)

    def validate_gss_code(self, field: StringField) -> None:
        if not field.data:
            return
        if self.chosen_kind != OrganisationKind.COUNCIL:
            raise ValidationError("Only councils have a GSS code: leave this empty, or choose ‘Council’ above")
        problem = identifiers.gss_code_problem(identifiers.normalise_gss_code(field.data))
        if problem:
            raise ValidationError(problem)

    def to_profile(self) -> Profile:
        kind = OrganisationKind(self.kind.data)
        subtype = self.subtype.data if "subtype" in self._fields else None
        return Profile(
            name=self.name.data,
            kind=kind,
            subtype=subtype or None,
            region=self.region.data,
            website=self.website.data or None,
            contact_email=normalise_email(self.contact_email.data) if self.contact_email.data else None,
            description=self.description.data or "",
            charity_number=identifiers.normalise_charity_number(self.charity_number.data)
            if self.charity_number.data
            else None,
            company_number=identifiers.normalise_company_number(self.company_number.data)
            if self.company_number.data
            else None,
            gss_code=identifiers.normalise_gss_code(self.gss_code.data) if self.gss_code.data else None,
        )

    @classmethod
    def for_organisation(cls, organisation: Organisation, kind: OrganisationKind | None = None) -> OrganisationForm:
        """The profile as saved; with `kind`, as it would be of that kind (choosing the type again)."""
        kind = kind or organisation.kind
        return cls(
            data={
                "name": organisation.name,
                "kind": kind.value,
                "subtype": organisation.subtype if kind == organisation.kind else None,
                "region": organisation.region,
                "website": organisation.website,
                "contact_email": organisation.contact_email,
                "description": organisation.description,
                "charity_number": organisation.charity_number,
                "company_number": organisation.company_number,
                "gss_code": organisation.gss_code,
                "version": str(organisation.version),
            }
        )


class KindForm(FlaskForm):
    """The first question when adding an organisation: a GET form, so it needs no CSRF token."""

    class Meta:
        csrf = False

    kind = RadioField(
        "What kind of organisation are you adding?",
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        validators=[Required("Choose what kind of organisation it is")],
        widget=GovRadioInput(),
        validate_choice=False,
    )

    def validate_kind(self, field: RadioField) -> None:
        if kind_from(field.data) is None:
            raise ValidationError("Choose what kind of organisation it is")


ROLE_CHOICES = choices((role.value, label) for role, (label, _description) in ROLE_LABELS.items())


def role_field(label: str) -> RadioField:
    return RadioField(
        label,
        choices=ROLE_CHOICES,
        validators=[Required("Select a role")],
        widget=GovRadioInput(),
        validate_choice=False,
    )


class _RoleMixin:
    def validate_role(self, field: RadioField) -> None:
        if field.data not in {role.value for role in Role}:
            raise ValidationError("Select a role")


class InviteForm(_RoleMixin, FlaskForm):
    email = email_field("Their email address", hint="We will email them a link to join. It works for 14 days.")
    role = role_field("What role should they have?")
    submit = submit("Send invitation")


class RoleForm(_RoleMixin, FlaskForm):
    role = role_field("Role")
    submit = submit("Save role")


class WithdrawVerificationForm(FlaskForm):
    reason = TextAreaField(
        "Why is verification being withdrawn?",
        filters=[strip],
        validators=[Required("Enter the reason"), Length(max=1000, message="Reason must be 1000 characters or fewer")],
        widget=GovCharacterCount(),
    )
    submit = submit("Withdraw verification")


class DirectoryFilterForm(FlaskForm):
    """The directory's search box and filters: a GET form, so it has no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Search by name", filters=[strip], widget=GovTextInput())
    kind = SelectField(
        "Kind",
        choices=choices([("", "All kinds"), *((kind.value, label) for kind, label in KIND_LABELS.items())]),
        widget=GovSelect(),
        validate_choice=False,
    )
    region = SelectField(
        "Region", choices=choices([("", "All regions"), *REGIONS.items()]), widget=GovSelect(), validate_choice=False
    )


PROFILE_LABELS = {
    "name": "Organisation name",
    "kind": "Kind of organisation",
    "subtype": "Type",
    "region": "Region",
    "website": "Website",
    "contact_email": "Public contact email",
    "description": "Description",
    "charity_number": "Registered charity number",
    "company_number": "Company number",
    "gss_code": "GSS code",
}


def saved_values(organisation: Organisation, fields: list[str]) -> list[tuple[str, str]]:
    """Label and saved value of each field, for the page that shows an editing conflict."""
    shown = {
        "kind": organisation.kind.label,
        "subtype": organisation.subtype_label or "",
        "region": organisation.region_label,
    }
    return [(PROFILE_LABELS[field], shown.get(field, getattr(organisation, field)) or "(empty)") for field in fields]
