"""Reporting periods and time buckets in the business's timezone, computed in Python.

SQLite has no timezone support, so bucket boundaries are never computed in SQL: they are the
UTC instants of the business's local midnights (days, ISO weeks from Monday, months) or UTC
hours from the first local midnight (hours, so a DST day has 23 or 25 of them), worked out here
with ``zoneinfo``. SQL then only compares ``started_at`` against these instants
(``aicaller.analytics.sql.bucket_index``), which both engines do the same way.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum


class Interval(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Period(StrEnum):
    TODAY = "today"
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    CUSTOM = "custom"


PERIOD_DAYS = {Period.TODAY: 1, Period.LAST_7_DAYS: 7, Period.LAST_30_DAYS: 30}


def local_midnight(day: date, timezone: str) -> datetime:
    """The instant (UTC) the local calendar ``day`` starts in ``timezone``."""
    return datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(timezone)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class DateRange:
    """Local calendar days ``first`` to ``last`` (inclusive) of a business."""

    first: date
    last: date
    timezone: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return local_midnight(self.first, self.timezone)

    @property
    def end(self) -> datetime:
        """Exclusive: the midnight after ``last``."""
        return local_midnight(self.last + timedelta(days=1), self.timezone)

    def previous(self) -> DateRange:
        """The range of as many days immediately before this one."""
        length = timedelta(days=self.days)
        return DateRange(self.first - length, self.last - length, self.timezone)

    def local_today(self, now: datetime) -> date:
        return now.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()


def period_range(period: Period, today: date, timezone: str) -> DateRange:
    """``today``, ``7d`` or ``30d``: that many local days ending with today."""
    days = PERIOD_DAYS[period]
    return DateRange(today - timedelta(days=days - 1), today, timezone)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_starts(first: date, last: date) -> list[date]:
    starts = []
    month = _next_month(first)
    while month <= last:
        starts.append(month)
        month = _next_month(month)
    return starts


def _week_starts(first: date, last: date) -> list[date]:
    monday = first + timedelta(days=(7 - first.weekday()) % 7 or 7)
    starts = []
    while monday <= last:
        starts.append(monday)
        monday += timedelta(days=7)
    return starts


def boundaries(span: DateRange, interval: Interval) -> list[datetime]:
    """The UTC instants that cut ``span`` into buckets: ``n + 1`` instants for ``n`` buckets.

    Weeks start on Monday and months on the 1st; the first and last bucket are cut to the span.
    """
    start, end = span.start, span.end
    if interval is Interval.HOUR:
        count = int((end - start).total_seconds() // 3600)
        cuts = [start + timedelta(hours=i) for i in range(count)]
        return [*cuts, end] if cuts[-1] < end else cuts
    if interval is Interval.DAY:
        days = [span.first + timedelta(days=i) for i in range(span.days + 1)]
        return [local_midnight(day, span.timezone) for day in days]
    inner = (
        _week_starts(span.first, span.last)
        if interval is Interval.WEEK
        else _month_starts(span.first, span.last)
    )
    return [start, *(local_midnight(day, span.timezone) for day in inner), end]


def bucket_count(span: DateRange, interval: Interval) -> int:
    """How many buckets ``boundaries`` would return, without building them."""
    if interval is Interval.HOUR:
        return int((span.end - span.start).total_seconds() // 3600)
    if interval is Interval.DAY:
        return span.days
    if interval is Interval.WEEK:
        return len(_week_starts(span.first, span.last)) + 1
    return len(_month_starts(span.first, span.last)) + 1


def local_labels(cuts: Sequence[datetime], timezone: str) -> list[datetime]:
    """Each cut as an aware datetime in the business's timezone (its offset tells DST apart)."""
    zone = zoneinfo.ZoneInfo(timezone)
    return [cut.astimezone(zone) for cut in cuts]
