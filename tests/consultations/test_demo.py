"""The demo data has an open consultation with a joint response in progress, whatever day it is loaded."""

import re

import sqlalchemy as sa

from campaigns.consultations.models import ConsultationResponse
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
