"""Every route, as every role, with generated and hostile input: never a 5xx, and a refusal changes nothing.

The routes come from the app's URL map, so a new route is driven without a line here. Each role signs in
once; for every rule and method, hypothesis makes a few requests (path values real or hostile, query strings,
the page's own form with fields dropped or replaced), and each is sent as every role. A refused request (a
4xx, a form shown again with its errors, a redirect to sign in) must leave every table, and the folder of
uploaded files, as it was; a request that changed something is undone before the next.
"""

from __future__ import annotations

import time

from campaigns.extensions import db
from tests.generated_input.driver import Driver, routes
from tests.generated_input.regressions import REGRESSIONS
from tests.generated_input.world import ROLES, build

#: Generated requests per rule and method; each is sent as every role.
EXAMPLES = 4


def test_every_route_as_every_role_never_fails_and_a_refusal_changes_nothing(app, database):
    started = time.monotonic()
    world = build(app)
    driver = Driver(app, world, database)
    driver.sign_in()
    with driver.recording():
        driver.crawl()
        driver.probe_paths()
        for rule, method in routes(app):
            driver.fuzz(rule, method, EXAMPLES, REGRESSIONS.get((rule.endpoint, method), []))
    db.session.remove()

    every_rule = {rule.rule for rule, _method in routes(app)}
    assert every_rule - driver.matched == set(), "routes never reached"
    expected = {(rule.rule, method, role) for rule, method in routes(app) for role in ROLES}
    assert expected - driver.sent == set(), "routes not driven as every role"
    print(
        f"\n{len(every_rule)} rules, {len(routes(app))} rule-methods x {len(ROLES)} roles: {driver.requests} requests,"
        f" {driver.changes} changed the database, {time.monotonic() - started:.0f} s on {database.backend}"
    )


def test_the_routes_driven_are_every_route_in_the_app(app):
    """Nothing is left out by hand: every rule, with each of its methods we drive."""
    driven = {rule.rule for rule, _method in routes(app)}
    assert driven == {rule.rule for rule in app.url_map.iter_rules()}
