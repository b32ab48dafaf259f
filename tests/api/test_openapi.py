"""The OpenAPI description is the contract: schemathesis makes requests from the served description (its examples,
then values it generates, valid and not) against the demo data, and every answer must be no 5xx and conform to the
description (status, content type, headers and body). Bounded by max_examples, never by time."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from campaigns.demo import load_demo_data
from campaigns.extensions import db, limiter

#: Generated requests per operation and kind of input (valid, not valid) at most.
EXAMPLES = 20


def test_every_operation_answers_as_its_description_says(app):
    load_demo_data()
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        examples = operation.get_strategies_from_examples()
        strategies = [*examples, *(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)]

        @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(strategies))
        def answers_as_described(case: schemathesis.Case) -> None:
            limiter.reset()  # the rate limit has its own test: here every request should reach the API
            case.call_and_validate()

        answers_as_described()
        for strategy in examples:  # each example in the description, whatever the draw above chose
            settings(max_examples=1, suppress_health_check=list(HealthCheck))(
                given(case=strategy)(answers_as_described.hypothesis.inner_test)
            )()


def test_the_description_is_openapi_3_1_and_describes_every_public_operation(client):
    described = client.get("/api/v1/openapi.json").get_json()
    assert described["openapi"] == "3.1.0"
    assert {"/api/v1/statements", "/api/v1/statements/{slug}/signatories", "/api/v1/targets/{slug}"} <= set(
        described["paths"]
    )
    not_found = described["paths"]["/api/v1/statements/{slug}"]["get"]["responses"]["404"]
    assert "application/problem+json" in not_found["content"]
