"""The demo data has an open consultation with a joint response in progress, whatever day and hour it is loaded."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaigns.consultations.models import ConsultationResponse
from campaigns.consultations.queries import open_consultations
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db


def test_the_demo_has_an_open_consultation_with_a_response_in_progress(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    listed = client.get("/consultations").text
    assert "Provisional local government finance settlement" in listed
    assert "Closes in " in listed
    response = db.session.scalars(sa.select(ConsultationResponse)).one()
    client.post(
        "/sign-in", data={"email": "chris.morgan@calderbridge-cvs.example.org", "password": "common-ground-demo"}
    )
    answers = client.get(f"/statements/{response.statement.slug}/answers")
    text = " ".join(re.sub(r"<[^>]+>", " ", answers.text).split())
    assert "2 of 5 questions answered in revision 3" in text
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationResponse)) == 1


# Just after midnight in London, in winter (GMT) and in summer (BST): a demo loaded then once had no consultation
# open, because it opened at 09:30 on the day it was loaded.
EARLY_MORNINGS = [datetime(2026, 12, 8, 0, 5, tzinfo=UTC), datetime(2027, 6, 15, 23, 30, tzinfo=UTC)]


@pytest.mark.parametrize("moment", EARLY_MORNINGS, ids=["winter", "summer"])
def test_the_demo_consultation_is_open_from_the_first_minute_of_the_day_it_is_loaded(app, moment):
    with clock_at(moment):
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        titles = [consultation.title for consultation in open_consultations(utcnow())]
    assert titles == ["Provisional local government finance settlement"]
