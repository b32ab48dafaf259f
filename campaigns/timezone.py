"""The UK's time zone, in one place: every date and time a person types or reads on Common Ground is UK time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

#: UK time (Greenwich Mean Time in winter, British Summer Time in summer).
LONDON = ZoneInfo("Europe/London")
