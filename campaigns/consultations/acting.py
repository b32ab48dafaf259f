"""Which of the signed-in person's organisations acts: adding a consultation, leading a response."""

from __future__ import annotations

from flask_wtf import FlaskForm

from campaigns.errors import PermissionDenied
from campaigns.forms import choices
from campaigns.organisations.acting import acting_for, my_organisations_where
from campaigns.organisations.models import Organisation
from campaigns.organisations.permissions import Permission


def editing_organisations(doing: str) -> list[Organisation]:
    """The signed-in person's organisations whose statements they edit; refused (403) when there are none."""
    organisations = my_organisations_where(Permission.EDIT_STATEMENTS)
    if not organisations:
        raise PermissionDenied(
            f"Only editors and admins of an organisation can {doing}. Ask your organisation’s admin."
        )
    return organisations


def offer_organisations(form: FlaskForm, organisations: list[Organisation]) -> None:
    """Offer `organisations` in the form's organisation question, the one acted for chosen at first."""
    form.organisation.choices = choices((o.id, o.name) for o in organisations)
    if form.organisation.data is None:
        current = acting_for()
        form.organisation.data = current.id if current in organisations else organisations[0].id
