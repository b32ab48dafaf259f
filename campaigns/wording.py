"""Small pieces of English shared by pages and emails."""

from __future__ import annotations

from collections.abc import Sequence


def in_a_list(parts: Sequence[str]) -> str:
    """“A”, “A and B”, “A, B and C”."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
