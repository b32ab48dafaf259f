"""The public list of signatories: who is shown, a page at a time, filtered, with totals and the chart."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures import services
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import SignatureDay
from campaigns.statements import services as statement_services
from campaigns.statements import signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Decision
from campaigns.submissions.workdays import today_in_london
from campaigns.templating import format_date
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.statements.builders import TEXT, Partnership, draft


def organisation(name: str, kind: OrganisationKind = OrganisationKind.VCS, **fields: object) -> Organisation:
    """An organisation with nobody on Common Ground yet: anyone signs for it by confirming their email."""
    return make_organisation(name, kind=kind, **fields)


def listed(page_text: str) -> list[str]:
    """The organisations named on a list page, in order."""
    return [
        html.unescape(name) for name in re.findall(r'<h3 class="govuk-heading-s[^"]*"><a [^>]*>([^<]+)</a>', page_text)
    ]


def link(page_text: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page_text)
    return html.unescape(found.group(1)) if found else None


def settings(p: Partnership, **values: object) -> None:
    saved = services.saved_settings(p.statement)
    for name, value in values.items():
        setattr(saved, name, value)
    db.session.commit()


def new_agreed_revision(p: Partnership) -> None:
    changed = StatementText(TEXT.title, TEXT.summary, TEXT.body + "\n\nAnd we mean it.", TEXT.asks)
    statement_services.save(p.statement, draft(changed), actor=p.council_editor, based_on=p.statement.current_revision)
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
    db.session.commit()


def test_each_signatory_is_shown_with_its_organisation_signer_comment_and_date(client):
    p = open_statement()
    trust = organisation("Hillside Tenants Group", subtype="community_group", region="yorkshire_and_the_humber")
    signature = confirmed(
        p.statement, trust, signer_name="Pat Visitor", signer_role="Chair", comment="We see this every day."
    )
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert page.status_code == 200
    assert listed(page.text) == ["Hillside Tenants Group"]
    assert f'href="/organisations/{trust.slug}"' in page.text
    assert "Community group · Yorkshire and the Humber · signed " in page.text
    assert "Signed by Pat Visitor, Chair" in page.text
    assert "We see this every day." in page.text
    assert f"signed {format_date(signature.confirmed_at)}</p>" in page.text


def test_only_confirmed_counted_signatories_that_agreed_to_be_listed_are_named(client):
    p = open_statement()
    confirmed(p.statement, organisation("Listed Trust"))
    sign(p.statement, organisation("Pending Trust"))
    withdrawn = confirmed(p.statement, organisation("Withdrawn Trust"))
    services.withdraw_by_link(signature_token(withdrawn, "withdraw"), p.statement)
    hidden = confirmed(p.statement, organisation("Hidden Trust"))
    services.hide(hidden, actor=p.council_editor, reason="Not a real organisation")
    db.session.commit()
    confirmed(p.statement, organisation("Quiet Trust"), list_publicly=False)
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert listed(page.text) == ["Listed Trust"]
    # The one that asked not to be named is counted all the same.
    assert "2 organisations have signed: 2 VCS organisations." in page.text
    assert "asked to be counted without being named" in page.text
    for name in ("Pending Trust", "Withdrawn Trust", "Hidden Trust", "Quiet Trust"):
        assert name not in page.text


def test_signatories_of_an_earlier_version_are_marked_with_the_revision_they_signed(client):
    p = open_statement()
    first = p.statement.agreed_revision.number
    confirmed(p.statement, organisation("Early Trust"))
    new_agreed_revision(p)
    confirmed(p.statement, organisation("Later Trust"))
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert listed(page.text) == ["Later Trust", "Early Trust"]
    assert page.text.count("Signed an earlier version") == 1
    assert f'/s/{p.statement.slug}/r/{first}">revision {first}</a>' in page.text


def test_signatures_of_an_earlier_version_that_lapsed_leave_the_list_and_the_counts(client):
    p = open_statement()
    settings(p, earlier_version_days=0)
    confirmed(p.statement, organisation("Early Trust"))
    new_agreed_revision(p)
    assert services.lapse_due() == 1
    db.session.commit()
    confirmed(p.statement, organisation("Later Trust"))
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert listed(page.text) == ["Later Trust"]
    assert "1 organisation has signed: 1 VCS organisation." in page.text


def test_unverified_organisations_are_marked_or_left_out_when_only_verified_ones_count(client):
    p = open_statement()
    confirmed(p.statement, organisation("Verified Trust"))
    confirmed(p.statement, organisation("New Trust", verified=False))
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert listed(page.text) == ["New Trust", "Verified Trust"]
    assert page.text.count("app-org-name--unverified") == 1
    settings(p, verified_only=True)
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert listed(page.text) == ["Verified Trust"]
    assert "1 organisation has signed: 1 VCS organisation." in page.text
    assert "Only organisations verified by Common Ground are counted and listed." in page.text
    # The chart's per-day counts take in every organisation, so it is not shown beside a verified-only total.
    assert '<svg class="app-chart"' not in page.text and "2 in all" not in page.text


def test_the_totals_are_given_by_kind(client):
    p = open_statement()
    confirmed(p.statement, organisation("Westshire Council", OrganisationKind.COUNCIL))
    confirmed(p.statement, organisation("Food Bank"))
    confirmed(p.statement, organisation("Hospice"))
    settings(p, target=10)
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert "3 organisations have signed: 1 council and 2 VCS organisations." in page.text
    assert "3 of a target of 10 (30%)." in page.text


def test_pages_of_signatories_follow_each_other_with_no_repeats_and_no_gaps(client):
    p = open_statement()
    names = [f"Trust {n:02}" for n in range(45)]
    for name in names:
        confirmed(p.statement, organisation(name))
    newest_first = names[::-1]

    seen: list[list[str]] = []
    url: str | None = f"/s/{p.statement.slug}/signatories"
    while url and len(seen) < 5:
        page = client.get(url)
        assert page.status_code == 200
        seen.append(listed(page.text))
        url = link(page.text, "next")
    assert [len(names_on_page) for names_on_page in seen] == [20, 20, 5]
    assert [name for page in seen for name in page] == newest_first
    assert "Signatures over time" in client.get(f"/s/{p.statement.slug}/signatories").text

    # And back again from the last page.
    back: list[list[str]] = [seen[-1]]
    url = link(page.text, "prev")
    while url and len(back) < 5:
        page = client.get(url)
        back.insert(0, listed(page.text))
        url = link(page.text, "prev")
    assert back == seen


def test_a_signatory_leaving_between_pages_moves_nobody_onto_the_wrong_page(client):
    p = open_statement()
    signatures = [confirmed(p.statement, organisation(f"Trust {n:02}")) for n in range(25)]
    first = client.get(f"/s/{p.statement.slug}/signatories")
    last_on_first_page = signatures[5]  # the 20th newest
    assert listed(first.text)[-1] == "Trust 05"
    services.withdraw_by_link(signature_token(last_on_first_page, "withdraw"), p.statement)
    db.session.commit()
    second = client.get(link(first.text, "next"))
    assert listed(second.text) == ["Trust 04", "Trust 03", "Trust 02", "Trust 01", "Trust 00"]


def test_filters_narrow_the_list_by_kind_region_and_name(client):
    p = open_statement()
    confirmed(p.statement, organisation("Westshire Council", OrganisationKind.COUNCIL, region="south_west"))
    confirmed(p.statement, organisation("Westshire Food Bank", region="south_west"))
    confirmed(p.statement, organisation("Northshire 100% Fund", region="north_east"))
    confirmed(p.statement, organisation("NHS Westshire", OrganisationKind.PUBLIC_BODY, region="south_west"))
    base = f"/s/{p.statement.slug}/signatories"
    assert listed(client.get(f"{base}?kind=council").text) == ["Westshire Council"]
    assert listed(client.get(f"{base}?kind=public_body").text) == ["NHS Westshire"]
    assert listed(client.get(f"{base}?region=north_east").text) == ["Northshire 100% Fund"]
    assert listed(client.get(f"{base}?q=westSHIRE&kind=vcs").text) == ["Westshire Food Bank"]
    assert listed(client.get(f"{base}?q=100%25").text) == ["Northshire 100% Fund"]
    assert listed(client.get(f"{base}?q=_").text) == []  # a wildcard is searched for as itself
    nothing = client.get(f"{base}?q=Eastshire")
    assert "No signatories match" in nothing.text
    # The totals stay those of the whole list.
    assert "4 organisations have signed" in nothing.text


@pytest.mark.parametrize(
    "query",
    [
        "kind=dragons",
        "region=atlantis",
        "q=" + "x" * 20_000,
        "after=abc",
        "after=99999999999999999999",
        "before=-1",
        "after=0",
        "q=%F0%9F%92%A5&kind=&region=",
    ],
)
def test_odd_filters_and_page_links_are_ignored_never_an_error(client, query):
    p = open_statement()
    confirmed(p.statement, organisation("Food Bank"))
    page = client.get(f"/s/{p.statement.slug}/signatories?{query}")
    assert page.status_code == 200
    assert "1 organisation has signed" in page.text


def test_control_characters_in_a_search_are_refused_with_a_message(client):
    p = open_statement()
    page = client.get(f"/s/{p.statement.slug}/signatories?q=a%00b")
    assert page.status_code == 400
    assert "characters we cannot accept" in page.text


def test_a_page_link_from_another_statement_starts_at_the_newest(client):
    p = open_statement()
    other = open_statement()
    stranger = confirmed(other.statement, organisation("Elsewhere Trust"))
    confirmed(p.statement, organisation("Food Bank"))
    page = client.get(f"/s/{p.statement.slug}/signatories?after={stranger.id}")
    assert listed(page.text) == ["Food Bank"]


def add_days(p: Partnership, counts: dict[date, int]) -> None:
    for day, count in counts.items():
        db.session.add(SignatureDay(statement_id=p.statement.id, day=day, count=count))
    db.session.commit()


def test_the_chart_draws_the_running_total_day_by_day_with_the_figures_in_a_table(client):
    p = open_statement()
    confirmed(p.statement, organisation("Food Bank"))  # the chart is shown once someone is counted
    db.session.execute(sa.delete(SignatureDay))
    add_days(p, {date(2026, 3, 2): 3, date(2026, 3, 4): 5, date(2026, 3, 5): 0})
    page = client.get(f"/s/{p.statement.slug}/signatories")
    svg = re.search(r"<svg class=\"app-chart\".*?</svg>", page.text, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title"' in svg
    assert '<title id="chart-title">Total organisations signed, day by day: 8 in all</title>' in svg
    assert "A line rising from 0 at the start of 2 March 2026 to 8 by the end of 4 March 2026." in svg
    assert "The busiest day was 4 March 2026, with 5." in svg
    assert svg.count("<circle") == 2  # a marker on each day something changed
    table = re.search(r"<table.*?</table>", page.text, re.S).group(0)
    assert "<caption" in table and "Organisations signed each day" in table
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>', table)
    assert rows == [("2 March 2026", "3", "3"), ("4 March 2026", "5", "8")]


def test_a_long_campaign_is_charted_week_by_week(client):
    p = open_statement()
    confirmed(p.statement, organisation("Food Bank"))
    db.session.execute(sa.delete(SignatureDay))
    add_days(p, {date(2026, 1, 7): 2, date(2026, 1, 8): 1, date(2026, 4, 20): 4})
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert "Total organisations signed, week by week: 7 in all" in page.text
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', page.text)
    assert rows == ["Week beginning 5 January 2026", "Week beginning 20 April 2026"]


def test_a_chart_whose_last_week_has_not_ended_gives_its_total_as_of_today_not_a_day_to_come(client):
    p = open_statement()
    confirmed(p.statement, organisation("Food Bank"))
    db.session.execute(sa.delete(SignatureDay))
    today = today_in_london()
    add_days(p, {today - timedelta(days=100): 2, today: 3})
    page = client.get(f"/s/{p.statement.slug}/signatories")
    svg = re.search(r"<svg class=\"app-chart\".*?</svg>", page.text, re.S).group(0)
    assert f"to 5 as of {today.day} {today:%B %Y}. The busiest week" in svg
    assert "by the end of" not in svg


def test_there_is_no_chart_before_anyone_is_counted(client):
    p = open_statement()
    sign(p.statement, organisation("Pending Trust"))
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert "No organisations are listed yet." in page.text
    assert '<svg class="app-chart"' not in page.text


def test_before_the_launch_nothing_about_the_signatures_is_public(client):
    p = open_statement()
    settings(p, launch_at=utcnow() + timedelta(days=3))
    key = services.settings_for(p.statement).private_key
    early = organisation("Early Trust")
    signature = services.sign(
        p.statement,
        services.SignOn(early, "Pat Visitor", "Chair", "pat@early.example.org"),
        private_key=key,
    ).signature
    services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    page = client.get(f"/s/{p.statement.slug}/signatories")
    assert page.status_code == 200
    assert "has not been launched yet" in page.text
    assert "Early Trust" not in page.text and "1 organisation" not in page.text and "<svg" not in page.text
    assert client.get(f"/s/{p.statement.slug}/signatories?kind=vcs&after=1").status_code == 200

    settings(p, launch_at=utcnow() - timedelta(minutes=1))
    assert listed(client.get(f"/s/{p.statement.slug}/signatories").text) == ["Early Trust"]
