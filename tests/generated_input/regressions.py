"""Requests the generated-input test found failing, kept as explicit examples for their route and method."""

from __future__ import annotations

from tests.generated_input.driver import Case

#: (endpoint, method) -> the cases to send first, every run.
REGRESSIONS: dict[tuple[str, str], list[Case]] = {}
