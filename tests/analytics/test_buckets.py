"""Bucket boundaries in a business's timezone, DST days included (pure Python)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from aicaller.analytics.buckets import DateRange, Interval, boundaries, bucket_count, local_labels

NY = "America/New_York"


def _hours(cuts: list[datetime]) -> list[float]:
    return [(b - a).total_seconds() / 3600 for a, b in itertools.pairwise(cuts)]


def test_spring_forward_day_has_23_hours_and_fall_back_25() -> None:
    spring = boundaries(DateRange(date(2026, 3, 8), date(2026, 3, 8), NY), Interval.HOUR)
    autumn = boundaries(DateRange(date(2026, 11, 1), date(2026, 11, 1), NY), Interval.HOUR)
    assert len(spring) - 1 == 23
    assert set(_hours(spring)) == {1.0}
    assert len(autumn) - 1 == 25
    assert set(_hours(autumn)) == {1.0}
    labels = [t.isoformat() for t in local_labels(autumn, NY)]
    assert labels[:4] == [
        "2026-11-01T00:00:00-04:00",
        "2026-11-01T01:00:00-04:00",
        "2026-11-01T01:00:00-05:00",  # the repeated hour, told apart by its offset
        "2026-11-01T02:00:00-05:00",
    ]
    assert spring[0] == datetime(2026, 3, 8, 5, tzinfo=UTC)
    assert spring[-1] == datetime(2026, 3, 9, 4, tzinfo=UTC)


def test_days_are_local_midnights_of_23_24_or_25_hours() -> None:
    cuts = boundaries(DateRange(date(2026, 3, 7), date(2026, 3, 9), NY), Interval.DAY)
    assert _hours(cuts) == [24.0, 23.0, 24.0]
    cuts = boundaries(DateRange(date(2026, 10, 31), date(2026, 11, 1), NY), Interval.DAY)
    assert _hours(cuts) == [24.0, 25.0]


def test_weeks_start_on_monday_and_months_on_the_first_cut_to_the_range() -> None:
    span = DateRange(date(2026, 3, 1), date(2026, 3, 31), NY)  # a Sunday to a Tuesday
    weeks = [t.date().isoformat() for t in local_labels(boundaries(span, Interval.WEEK), NY)]
    assert weeks == [
        "2026-03-01", "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30",
        "2026-04-01",
    ]  # fmt: skip
    span = DateRange(date(2026, 2, 15), date(2026, 4, 10), NY)
    months = [t.date().isoformat() for t in local_labels(boundaries(span, Interval.MONTH), NY)]
    assert months == ["2026-02-15", "2026-03-01", "2026-04-01", "2026-04-11"]
    for interval in Interval:
        assert bucket_count(span, interval) == len(boundaries(span, interval)) - 1


def test_a_year_of_buckets_in_a_half_hour_zone_and_in_utc() -> None:
    span = DateRange(date(2026, 1, 1), date(2026, 12, 31), "Asia/Kolkata")
    cuts = boundaries(span, Interval.HOUR)
    assert len(cuts) - 1 == 365 * 24
    assert all(t.minute == 0 for t in local_labels(cuts, "Asia/Kolkata"))
    days = boundaries(DateRange(date(2024, 1, 1), date(2024, 12, 31), "UTC"), Interval.DAY)
    assert len(days) - 1 == 366
    assert days[1] - days[0] == timedelta(days=1)
