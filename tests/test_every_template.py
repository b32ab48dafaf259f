"""Every template in the project is rendered by some real request, as each role that can reach its page.

A broken template (a `url_for` of an endpoint that does not exist, a missing variable, a bad filter) fails here
even when no other test happens to take its branch: a template once built a link to a page that did not exist,
so every signed-in person who could not sign got a 500 on the sign-on page.

The tour (tests/every_template/) builds one world per database and visits every page in it as anonymous
visitors, outsiders, members, reviewers, co-authors, the lead, platform admins and new accounts; each request
asserts the status that role gets (never a 5xx) and, where there is one, the page's heading. Emails are rendered
by the services that send them, most of them on the way through a request (registering, inviting, signing on).
The last tests check that the tour rendered every template on disk, used every partial and requested every
endpoint: a template or a route added without a visit here fails them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from campaigns.database import sqlite_autocommit
from campaigns.extensions import db, limiter
from tests.every_template import world as world_module
from tests.every_template.tour import Record, Tour, every_template
from tests.every_template.visits import VISITS
from tests.support.databases import DatabaseUnderTest
from tests.support.smtp import SmtpServer

#: Templates that are never a page or an email of their own, only extended, included or imported by others.
#: Partials are named with a leading underscore (statements/_nav.html, emails/_base.txt, ...); these are the rest.
#: Each must be used by some template the tour rendered, so nothing here can be silently unreachable.
LAYOUTS_AND_MACROS = {
    "base.html",  # every page's layout
    "layout_form.html",  # the layout of a page with one form
    "admin_nav.html",  # the platform admins' menu, included by their pages
    "macros/forms.html",
    "macros/links.html",
    "macros/organisations.html",
}


def _is_partial(name: str) -> bool:
    return name in LAYOUTS_AND_MACROS or name.rsplit("/", 1)[-1].startswith("_")


@pytest.fixture(scope="module")
def tour(_app: Flask, database: DatabaseUnderTest, smtp_server: SmtpServer) -> Iterator[Tour]:
    """One world per database for the whole module, emptied afterwards as the `app` fixture empties it.

    Each test runs the visits up to its own, so the tests pass or fail alike in any order or process
    (under pytest-xdist, a process that gets only the last test runs every visit first).
    """
    record = Record()
    with _app.app_context(), sqlite_autocommit():
        with record.recording(_app):
            world = world_module.build(_app)
        yield Tour(VISITS, world, record, _app)
        db.session.rollback()
    database.reset(_app)
    with _app.app_context():
        limiter.reset()
    smtp_server.clear()


@pytest.mark.parametrize("visit", [name for name, _function in VISITS])
def test_each_role_gets_the_page_it_should(tour: Tour, visit: str) -> None:
    tour.through(visit)


def test_every_template_was_rendered(tour: Tour) -> None:
    failed = tour.everything()
    record = tour.record
    emails = {name for name in record.loaded if name.startswith("emails/") and not _is_partial(name)}
    rendered = record.rendered | emails
    on_disk = every_template()
    partials = {name for name in on_disk if _is_partial(name)}
    problems = []
    if failed:
        problems.append(f"These visits failed, so some of what they render was not: {failed}")
    if unrendered := sorted(on_disk - partials - rendered):
        problems.append(f"No visit renders these templates (add one to tests/every_template/visits): {unrendered}")
    if unused := sorted(partials - record.loaded):
        problems.append(f"No rendered template extends, includes or imports these: {unused}")
    if missing := sorted(LAYOUTS_AND_MACROS - on_disk):
        problems.append(f"Listed as layouts or macros, but not in templates/: {missing}")
    assert not problems, "\n".join(problems)


def test_every_endpoint_was_requested(tour: Tour, _app: Flask) -> None:
    """Pages that render no template of their own (files, feeds, buttons that redirect) are asked for too."""
    tour.everything()
    unrequested = sorted({rule.endpoint for rule in _app.url_map.iter_rules()} - tour.record.endpoints)
    assert not unrequested, f"No visit requests these endpoints (add one to tests/every_template/visits): {unrequested}"
