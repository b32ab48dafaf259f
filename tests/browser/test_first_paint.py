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


# Where each part of the page is: the header, the navigation, the main content and the footer.
PLACES = """() => ['header', 'nav', 'main', 'footer'].map(selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return [selector, Math.round(box.top), Math.round(box.height)];
})"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 667}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def places_before_and_after_scripts(page, path: str) -> tuple[list, list]:
    """Open `path` as on a slow connection, where the module script arrives after the page was first painted:
    where everything is when first painted, and where it is once the scripts have run."""
    held = []
    page.route("**/dist/app.js*", lambda route: held.append(route))
    page.goto(path, wait_until="commit")
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
    page.wait_for_function("() => document.readyState !== 'loading'")  # parsed: the script was asked for
    assert len(held) == 1
    painted = page.evaluate(PLACES)
    held[0].continue_()
    page.wait_for_load_state("load")
    page.unroute_all()
    # GOV.UK Frontend shows the Menu button itself once it has set up the navigation.
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    return painted, page.evaluate(PLACES)


def test_on_a_phone_nothing_moves_when_the_scripts_run_and_the_menu_opens(phone):
    # Lighthouse measured a layout shift of 0.15 on every page on a phone: the navigation was drawn open,
    # then folded behind its Menu button by the script.
    for path in ("/", "/statements", "/targets", "/organisations", "/sign-in"):
        painted, settled = places_before_and_after_scripts(phone, path)
        assert painted == settled, path
    menu = phone.get_by_role("button", name="Menu")
    statements = phone.get_by_role("link", name="Statements", exact=True)
    expect(statements).to_be_hidden()
    menu.click()
    expect(statements).to_be_visible()
    menu.click()
    expect(statements).to_be_hidden()


def test_on_a_phone_without_javascript_the_links_show_as_a_list(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 375, "height": 667}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("link", name="Statements", exact=True)).to_be_visible()
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    context.close()
