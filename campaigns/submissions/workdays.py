"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the govuk-bank-holidays package's bundled copy of GOV.UK's list, never
from the network. Beyond the years it covers, only weekends are skipped.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays

from campaigns.timezone import LONDON

#: Working days a reply is expected within, unless the editors set another date.
DEFAULT_INTERVAL = 20


@cache
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, from the data bundled with the package (no network)."""
    holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(day["date"] for day in holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    """Whether the day is a weekday that is not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of sending itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; 0 when `end` is not after `start`."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def today_in_london() -> date:
    """Today's date in the UK, where working days are counted."""
    from campaigns.database import utcnow

    return utcnow().astimezone(LONDON).date()


def subtract_working_days(end: date, days: int) -> date:
    """The date `days` working days before `end`: the sending date that makes `end` that many days on."""
    day = end
    remaining = days
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
