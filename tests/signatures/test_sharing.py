"""Sharing a statement: its count badge, the widget partner websites embed, and how its page looks when shared."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures import services
from campaigns.statements.merging import StatementText
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement
from tests.statements.builders import TEXT, partnership, publish


def launch_in(p, delta: timedelta) -> None:
    saved = services.saved_settings(p.statement)
    saved.launch_at = utcnow() + delta
    db.session.commit()


def test_the_badge_shows_how_many_organisations_have_signed(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Food Bank"))
    badge = client.get(f"/s/{p.statement.slug}/badge.svg")
    assert badge.status_code == 200
    assert badge.mimetype == "image/svg+xml"
    assert badge.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    assert 'role="img" aria-label="Signed by 1 organisation"' in badge.text
    assert "<title>Signed by 1 organisation</title>" in badge.text
    confirmed(p.statement, make_organisation("Hospice"))
    assert ">2 organisations</text>" in client.get(f"/s/{p.statement.slug}/badge.svg").text


def test_before_the_launch_the_badge_says_coming_soon_and_gives_no_count(client):
    p = open_statement()
    launch_in(p, timedelta(days=2))
    badge = client.get(f"/s/{p.statement.slug}/badge.svg")
    assert badge.status_code == 200
    assert "<title>Signatures coming soon</title>" in badge.text
    assert "organisation" not in badge.text


def test_the_widget_may_be_framed_by_any_site_and_every_other_page_may_not(client):
    p = open_statement()
    embed = client.get(f"/s/{p.statement.slug}/embed")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "style-src 'self'" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    for url in (f"/s/{p.statement.slug}", f"/s/{p.statement.slug}/signatories", f"/s/{p.statement.slug}/badge.svg"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Frame-Options"] == "DENY", url
    missing = client.get("/s/no-such-statement/embed")
    assert missing.status_code == 404 and missing.headers["X-Frame-Options"] == "DENY"


def test_the_widget_shows_the_title_counts_target_and_a_link_to_sign_in_a_new_tab(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Westshire Council", kind=OrganisationKind.COUNCIL))
    confirmed(p.statement, make_organisation("Food Bank"))
    saved = services.saved_settings(p.statement)
    saved.target = 8
    db.session.commit()
    embed = client.get(f"/s/{p.statement.slug}/embed")
    text = embed.text
    assert "<h1" in text and "Fund councils fairly" in text
    assert "<strong>2</strong> organisations have signed" in text
    assert "1 council and 1 VCS organisation" in text
    assert '<progress class="embed__progress" id="embed-progress" max="8" value="2">' in text
    assert "2 of a target of 8 (25%)" in text
    base = client.application.config["CAMPAIGNS_BASE_URL"]
    assert f'<a class="embed__button" href="{base}/s/{p.statement.slug}" target="_blank" rel="noopener">Sign on' in text
    assert "embed.css" in text and "dist/app.css" not in text  # its own stylesheet, not the site's
    assert "govuk-service-navigation" not in text and "govuk-footer" not in text
    assert " style=" not in text  # the stylesheet only: inline styles are refused by the CSP
    assert embed.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=300"


def test_before_the_launch_the_widget_shows_no_counts(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Food Bank"))
    launch_in(p, timedelta(days=2))
    text = client.get(f"/s/{p.statement.slug}/embed").text
    assert "Signatures will be shown here when the statement is launched." in text
    assert "have signed" not in text and "has signed" not in text and "Sign on" not in text
    assert "Read the statement" in text


def test_the_statement_page_describes_itself_for_sharing_and_offers_the_code_for_partners(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Food Bank"))
    page = client.get(f"/s/{p.statement.slug}")
    head = page.text.split("</head>")[0]
    url = f"{client.application.config['CAMPAIGNS_BASE_URL']}/s/{p.statement.slug}"
    assert f'<meta property="og:url" content="{url}">' in head
    assert f'<link rel="canonical" href="{url}">' in head
    assert '<meta property="og:title" content="Fund councils fairly">' in head
    assert '<meta property="og:type" content="article">' in head
    assert '<meta property="og:description" content="Councils and charities ask for fair, long-term funding.">' in head
    assert '<meta name="twitter:card" content="summary">' in head
    # The panel keeps its wording; the share section follows it.
    assert "1 organisation has signed" in page.text and "Sign on for your organisation" in page.text
    share = page.text.split('id="share-heading"')[1]
    codes = [html.unescape(code) for code in re.findall(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", share, re.S)]
    assert codes[0].strip() == (
        f'<a href="{url}"><img src="{url}/badge.svg" alt="Fund councils fairly: organisations that have signed"></a>'
    )
    assert codes[1].strip().startswith(f'<iframe src="{url}/embed" title="Fund councils fairly: signatures"')


def test_a_title_with_quotes_cannot_break_out_of_the_code_partners_copy(client):
    p = partnership(StatementText('Say "no" <b>now</b>', TEXT.summary, TEXT.body, TEXT.asks))
    publish(p)
    page = client.get(f"/s/{p.statement.slug}")
    share = page.text.split('id="share-heading"')[1]
    badge_code = html.unescape(re.search(r'<textarea[^>]*id="badge-code"[^>]*>(.*?)</textarea>', share, re.S).group(1))
    assert 'alt="Say &#34;no&#34; &lt;b&gt;now&lt;/b&gt;: organisations that have signed"' in badge_code
    assert '<meta property="og:title" content="Say &#34;no&#34; &lt;b&gt;now&lt;/b&gt;">' in page.text


def test_the_share_section_waits_for_the_launch(client):
    p = open_statement()
    launch_in(p, timedelta(days=2))
    page = client.get(f"/s/{p.statement.slug}")
    assert page.status_code == 200
    assert "share-heading" not in page.text and "badge.svg" not in page.text
    assert '<meta property="og:title"' in page.text  # the statement itself is public
