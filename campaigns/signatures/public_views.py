"""The public list of a statement's signatories, with its totals and the chart of signatures over time."""

from __future__ import annotations

from flask import render_template, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField

from campaigns.caching import public_page
from campaigns.forms import choices
from campaigns.http import id_arg
from campaigns.organisations.models import REGIONS, OrganisationKind
from campaigns.signatures import public_list
from campaigns.signatures.blueprint import bp
from campaigns.signatures.chart import chart_for
from campaigns.signatures.panel import cache_parts, panel_for
from campaigns.signatures.services import settings_for
from campaigns.statements.queries import published_by_slug

KIND_FILTERS = (
    (OrganisationKind.COUNCIL, "Councils"),
    (OrganisationKind.VCS, "Voluntary and community sector organisations"),
    (OrganisationKind.PUBLIC_BODY, "Other public bodies"),
)


class SignatoriesFilterForm(FlaskForm):
    """The list's search box and filters: a GET form, so it has no CSRF token. Unknown values are ignored."""

    class Meta:
        csrf = False

    q = StringField("Search by organisation name", widget=GovTextInput())
    kind = SelectField(
        "Kind of organisation",
        choices=choices([("", "All kinds"), *((kind.value, label) for kind, label in KIND_FILTERS)]),
        widget=GovSelect(),
        validate_choice=False,
    )
    region = SelectField(
        "Region", choices=choices([("", "All regions"), *REGIONS.items()]), widget=GovSelect(), validate_choice=False
    )


@bp.get("/s/<slug>/signatories")
@public_page(cache_parts)
def signatories(slug: str) -> str:
    statement = published_by_slug(slug)
    panel = panel_for(statement)
    if not panel.public:
        # Before the launch date nothing about the signatures is public: not the list, counts or chart.
        return render_template("signatures/signatories.html", statement=statement, panel=panel)
    form = SignatoriesFilterForm(request.args)
    filters = public_list.Filters.parse(form.kind.data, form.region.data, form.q.data)
    form.q.data = filters.search
    listing = public_list.page(
        statement.id, settings_for(statement), filters, after=id_arg("after"), before=id_arg("before")
    )
    verified_only = settings_for(statement).verified_only
    return render_template(
        "signatures/signatories.html",
        statement=statement,
        panel=panel,
        form=form,
        filters=filters,
        listing=listing,
        # The chart is drawn from per-day counts of every organisation: beside a verified-only total it would count
        # those the page says are not counted.
        chart=chart_for(statement.id) if listing.first and not filters.active and not verified_only else None,
        verified_only=verified_only,
    )
