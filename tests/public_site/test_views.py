import html
import re

from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement
from tests.submissions.builders import make_target


def test_the_home_page_says_what_common_ground_is_for(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Councils and the voluntary sector, lobbying together" in page.text
    assert "Create an account" in page.text


def test_the_accessibility_statement_and_privacy_notice_are_linked_from_every_page(client):
    page = client.get("/organisations")
    assert 'href="/accessibility"' in page.text
    assert 'href="/privacy"' in page.text
    assert "Accessibility statement for Common Ground" in client.get("/accessibility").text
    assert "Privacy notice" in client.get("/privacy").text


def _descriptions(text: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(r'<meta name="description" content="([^"]*)">', text)]


def test_every_public_page_describes_itself_once_for_search_engines(client):
    p = open_statement()
    confirmed(p.statement, make_organisation("Riverside Community Trust"))
    target = make_target("HM Treasury")
    paths = [
        "/",
        "/statements",
        f"/s/{p.statement.slug}",
        f"/s/{p.statement.slug}/signatories",
        "/organisations",
        "/targets",
        f"/targets/{target.slug}",
        "/accessibility",
        "/privacy",
        "/sign-in",
    ]
    seen = {}
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        [description] = _descriptions(page.text)
        assert len(description) >= 50, (path, description)
        seen[path] = description
    assert len(set(seen.values())) == len(paths)  # each says what it is, not one line for all
    assert seen[f"/s/{p.statement.slug}"] == p.statement.agreed_revision.summary[:300]
