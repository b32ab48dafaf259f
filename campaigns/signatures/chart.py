"""The chart of signatures over time: a cumulative line drawn on the server as SVG, with its figures as a table.

Read from the per-day counts kept by `counting`, never from the signatures table. Short campaigns are
shown day by day; anything longer than about two months week by week, so the line stays readable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.signatures.models import SignatureDay
from campaigns.submissions.workdays import today_in_london

#: Campaigns spanning more days than this are shown week by week.
DAILY_UP_TO = 62
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 44


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Bucket:
    """A day, or a week beginning on a Monday."""

    start: date
    count: int
    total: int  # counted by the end of it


@dataclass(frozen=True)
class Chart:
    weekly: bool
    buckets: list[Bucket]
    points: str  # the line, as SVG polyline points
    markers: list[tuple[float, float]]  # where signatures came in
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str, str]]  # x, text, text-anchor
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def total(self) -> int:
        return self.buckets[-1].total

    @property
    def rows(self) -> list[Bucket]:
        """The table's rows: the days or weeks in which anything changed."""
        return [bucket for bucket in self.buckets if bucket.count]

    def label(self, bucket: Bucket) -> str:
        return f"Week beginning {long_date(bucket.start)}" if self.weekly else long_date(bucket.start)


def _nice_step(largest: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most five gridlines up to `largest`."""
    magnitude = 10 ** max(0, math.floor(math.log10(max(largest, 1))) - 1)
    for multiple in (1, 2, 5, 10, 20, 50, 100):
        if largest <= 5 * multiple * magnitude:
            return multiple * magnitude
    return 100 * magnitude  # pragma: no cover (the loop always ends)


def _buckets(days: list[tuple[date, int]], weekly: bool) -> list[Bucket]:
    def start_of(day: date) -> date:
        return day - timedelta(days=day.weekday()) if weekly else day

    step = timedelta(days=7 if weekly else 1)
    counts: dict[date, int] = {}
    for day, count in days:
        counts[start_of(day)] = counts.get(start_of(day), 0) + count
    first, last = min(counts), max(counts)
    buckets, total, start = [], 0, first
    while start <= last:
        total = max(0, total + counts.get(start, 0))
        buckets.append(Bucket(start, counts.get(start, 0), total))
        start += step
    return buckets


def _up_to(last_day: date) -> str:
    """Up to the end of the last day (or week) drawn; while that has not ended, up to today, never a day to come."""
    today = today_in_london()
    return f"by the end of {long_date(last_day)}" if last_day < today else f"as of {long_date(today)}"


def chart_for(statement_id: int) -> Chart | None:
    """The statement's chart, or None before anyone has been counted."""
    days: list[tuple[date, int]] = [
        (day, count)
        for day, count in db.session.execute(
            sa.select(SignatureDay.day, SignatureDay.count)
            .where(SignatureDay.statement_id == statement_id)
            .order_by(SignatureDay.day)
        )
    ]
    if not any(count for _day, count in days):
        return None
    days = [(day, count) for day, count in days if count]
    weekly = (days[-1][0] - days[0][0]).days + 1 > DAILY_UP_TO
    buckets = _buckets(days, weekly)
    step = _nice_step(max(bucket.total for bucket in buckets))
    top_value = step * math.ceil(max(bucket.total for bucket in buckets) / step)
    span = len(buckets)  # each bucket's total is drawn at its end; the line starts at 0 at the first one's start

    def x(position: float) -> float:
        return round(LEFT + (WIDTH - RIGHT - LEFT) * position / span, 1)

    def y(value: int) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * value / top_value, 1)

    points = [(x(0), y(0))] + [(x(i + 1), y(bucket.total)) for i, bucket in enumerate(buckets)]
    # The first and last days (or weeks) at the ends, and one in the middle: the ends never run off the chart.
    x_labels = [(x(0), short_date(buckets[0].start), "start")]
    if span > 2:
        x_labels.append((x(span // 2 + 0.5), short_date(buckets[span // 2].start), "middle"))
    if span > 1:
        x_labels.append((x(span), short_date(buckets[-1].start), "end"))
    busiest = max(buckets, key=lambda bucket: bucket.count)
    busiest_text = (
        f"The busiest week began on {long_date(busiest.start)}, with {busiest.count}."
        if weekly
        else f"The busiest day was {long_date(busiest.start)}, with {busiest.count}."
    )
    description = (
        f"A line rising from 0 at the start of {long_date(buckets[0].start)} to {buckets[-1].total} "
        f"{_up_to(buckets[-1].start + timedelta(days=6 if weekly else 0))}. {busiest_text}"
    )
    return Chart(
        weekly=weekly,
        buckets=buckets,
        points=" ".join(f"{px},{py}" for px, py in points),
        markers=[(x(i + 1), y(bucket.total)) for i, bucket in enumerate(buckets) if bucket.count],
        y_ticks=[(y(value), value) for value in range(0, top_value + 1, step)],
        x_labels=x_labels,
        description=description,
    )
