"""The OpenAPI description is the contract: schemathesis makes requests from the served description (its examples,
then values it generates, valid and not) against the demo data, and every answer must be no 5xx and conform to the
description (status, content type, headers and body). Bounded by max_examples, never by time."""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode

from campaigns.api.demo import DEMO_SECRET
from campaigns.demo import load_demo_data
from campaigns.extensions import db, limiter

#: Generated requests per operation and kind of input (valid, not valid) at most.
EXAMPLES = 20


def _send(operation: APIOperation, answered: set[tuple[str, int]]) -> Callable[[schemathesis.Case], None]:
    """Send one case and check the answer against the description; remember what the operation answered."""
    # Operations that need a token get the demo's (schemathesis also checks they refuse a request without it).
    headers = {"Authorization": f"Bearer {DEMO_SECRET}"} if operation.definition.raw.get("security") else None

    def send(case: schemathesis.Case) -> None:
        limiter.reset()  # the rate limit has its own test: here every request should reach the API
        answered.add((operation.label, case.call_and_validate(headers=headers).status_code))

    return send


def test_every_operation_answers_as_its_description_says(app):
    load_demo_data()
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    answered: set[tuple[str, int]] = set()
    bounded = settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
    for operation in operations:
        send = _send(operation, answered)
        examples = operation.get_strategies_from_examples()
        for strategy in examples:  # each example the description gives
            settings(bounded, max_examples=1)(given(case=strategy)(send))()
        generated = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]  # valid and not
        bounded(given(case=st.one_of(generated))(send))()
    # Each operation really answered with its data, not only with refusals.
    assert {label for label, status in answered if status == 200} == {operation.label for operation in operations}


def test_the_description_is_openapi_3_1_and_describes_every_public_operation(client):
    described = client.get("/api/v1/openapi.json").get_json()
    assert described["openapi"] == "3.1.0"
    assert {"/api/v1/statements", "/api/v1/statements/{slug}/signatories", "/api/v1/targets/{slug}"} <= set(
        described["paths"]
    )
    not_found = described["paths"]["/api/v1/statements/{slug}"]["get"]["responses"]["404"]
    assert "application/problem+json" in not_found["content"]
