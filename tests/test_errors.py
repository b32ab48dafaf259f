"""Error pages: the same look as every other page, a clear message, the right status."""

import pytest

from campaigns import create_app
from tests.factories import make_organisation, make_user


def test_an_unknown_page_gets_a_styled_404(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert "Common Ground" in page.text
    assert "Accessibility statement" in page.text


def test_an_unknown_organisation_gets_a_404(client):
    page = client.get("/organisations/no-such-organisation")
    assert page.status_code == 404
    assert "We could not find that organisation" in page.text


def test_a_page_someone_may_not_see_gets_a_styled_403(client):
    client.login(make_user())
    organisation = make_organisation()
    page = client.get(f"/organisations/{organisation.slug}/members")
    assert page.status_code == 403
    assert "You do not have permission to do this" in page.text


def test_a_wrong_method_gets_a_styled_405(client):
    page = client.delete("/")
    assert page.status_code == 405
    assert "There is a problem with your request" in page.text


def test_a_request_too_large_gets_a_styled_413(client):
    page = client.post("/sign-in", data={"email": "x" * (3 * 1024 * 1024)}, csrf=False)
    assert page.status_code == 413
    assert "too large" in page.text


@pytest.fixture
def failing_app(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}",
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("something broke")

    return app


def test_an_unexpected_error_gets_a_styled_500_that_gives_nothing_away(failing_app):
    page = failing_app.test_client().get("/boom")
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.text
    assert "something broke" not in page.text
    assert "Traceback" not in page.text
