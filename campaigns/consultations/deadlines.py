"""Time left before a consultation closes, in words people read at a glance."""

from __future__ import annotations

from datetime import datetime

from campaigns.database import utcnow


def time_left(closes_at: datetime, now: datetime | None = None) -> str:
    """ "Closed", "Closes in 45 minutes", "Closes in 5 hours", "Closes in 3 days" (whole units, rounded down)."""
    left = closes_at - (now or utcnow())
    seconds = int(left.total_seconds())
    if seconds <= 0:
        return "Closed"
    days, hours, minutes = seconds // 86400, seconds // 3600, max(seconds // 60, 1)
    if days >= 2:
        return f"Closes in {days} days"
    if hours >= 2:
        return f"Closes in {hours} hours"
    if hours == 1:
        return "Closes in 1 hour"
    return f"Closes in {minutes} minute{'s' if minutes != 1 else ''}"
