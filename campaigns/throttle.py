"""Allowances: limits that count what a request costs (an email sent, a password tried), not that it arrived.

Flask-Limiter's decorators count requests before the view runs. Some limits must count only an outcome
(a confirmation email queued, a wrong password), and must still hold when many requests arrive at once.
So an allowance is spent *before* the costly step, atomically in the shared rate-limit storage (Redis
in production), and given back when the step turned out to cost nothing (a correct password) or was
refused anyway. However many requests race, no more than the limit ever get through.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from flask import current_app
from limits import RateLimitItem, parse_many

from campaigns.extensions import limiter


@dataclass(frozen=True)
class Allowance:
    """At most so many of something in each window, e.g. ``Allowance("sign-on", "6 per 5 minutes; 20 per hour")``."""

    name: str
    spec: str
    windows: tuple[RateLimitItem, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(parse_many(self.spec)))

    def _key(self, window: RateLimitItem, subject: str) -> str:
        return window.key_for(current_app.config["RATELIMIT_KEY_PREFIX"], "allowance", self.name, subject)


@dataclass(frozen=True)
class Spent:
    """What `spend` took, so it can be given back."""

    taken: tuple[tuple[Allowance, str], ...]

    def refund(self) -> None:
        for allowance, subject in self.taken:
            _add(allowance, subject, -1)


class Exhausted(Exception):
    """An allowance has run out; `retry_after` is how many seconds until it has room again."""

    def __init__(self, allowance: Allowance, retry_after: int) -> None:
        super().__init__(f"{allowance.name}: wait {retry_after}s")
        self.allowance = allowance
        self.retry_after = retry_after

    @property
    def wait(self) -> str:
        """How long to wait, in words: "3 minutes", "2 hours"."""
        minutes = max(1, math.ceil(self.retry_after / 60))
        if minutes <= 90:
            return f"{minutes} minute{'s' if minutes != 1 else ''}"
        hours = math.ceil(minutes / 60)
        return f"{hours} hours"


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and limiter.enabled


def _add(allowance: Allowance, subject: str, amount: int) -> int | None:
    """Add `amount` to every window; the seconds to wait if any window is now over its limit, else None."""
    storage = limiter.storage
    wait: int | None = None
    for window in allowance.windows:
        key = allowance._key(window, subject)
        count = storage.incr(key, window.get_expiry(), amount=amount)
        if amount > 0 and count > window.amount:
            seconds = max(1, math.ceil(storage.get_expiry(key) - time.time()))
            wait = max(wait or 0, seconds)
    return wait


def spend(*uses: tuple[Allowance, str]) -> Spent:
    """Take one from each (allowance, subject), or none at all: Exhausted names the one that ran out.

    Each count is a single atomic increment, so requests arriving together cannot all squeeze in.
    A refused use is given back at once: waiting does not lengthen the wait.
    """
    if not _enabled():
        return Spent(())
    taken: list[tuple[Allowance, str]] = []
    for allowance, subject in uses:
        wait = _add(allowance, subject, 1)
        taken.append((allowance, subject))
        if wait is not None:
            Spent(tuple(taken)).refund()
            raise Exhausted(allowance, wait)
    return Spent(tuple(taken))


def clear(allowance: Allowance, subject: str) -> None:
    """Forget every use of `allowance` by `subject` (after someone proved who they are another way)."""
    if not _enabled():
        return
    for window in allowance.windows:
        limiter.storage.clear(allowance._key(window, subject))
