"""The visits of the tour, in the order they run: reading first, then what changes the world."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.every_template.visits import (
    accounts,
    actions,
    api,
    consultations,
    errors,
    organisations,
    privacy,
    public,
    signatures,
    statements,
    updates_and_submissions,
    webhooks,
)

MODULES = (
    public,
    api,
    accounts,
    statements,
    signatures,
    organisations,
    updates_and_submissions,
    consultations,
    privacy,
    webhooks,
    actions,
    errors,
)
VISITS: list[tuple[str, Callable[[Any], None]]] = [
    (function.__name__, function) for module in MODULES for function in module.VISITS
]
