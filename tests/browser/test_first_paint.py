"""The page knows it has JavaScript before it is first painted: GOV.UK Frontend's one inline line runs under the
Content Security Policy (allowed by its hash), before the module script at the end of the page has loaded."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_page_is_marked_as_having_javascript_before_the_module_script_runs(page):
    page.route("**/dist/app.js*", lambda route: route.abort())  # the module script never arrives
    page.goto("/")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    assert not [error for error in page.console_errors if "Content Security Policy" in error]
