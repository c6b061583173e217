"""Opening hours read aloud, and "are you open now?" in the business's own timezone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from aicaller.businesses.schemas import OpeningInterval, Weekday

WEEK = tuple(Weekday)  # monday first, like datetime.weekday()
Hours = Mapping[Weekday, Sequence[OpeningInterval]]


@dataclass(frozen=True, slots=True)
class Opening:
    day: Weekday
    opens: str  # "HH:MM"
    closes: str
    start: datetime  # local, aware


def local_now(now: datetime, timezone: str) -> datetime:
    return now.astimezone(zoneinfo.ZoneInfo(timezone))


def _clock(value: str) -> time | None:
    """None for "24:00" (the end of the day)."""
    hours, minutes = (int(part) for part in value.split(":"))
    return None if hours == 24 else time(hours, minutes)  # noqa: PLR2004 - 24:00 is midnight


def is_open(hours: Hours, timezone: str, now: datetime) -> bool:
    local = local_now(now, timezone)
    day = WEEK[local.weekday()]
    clock = local.time().replace(tzinfo=None)
    for interval in hours.get(day, ()):
        opens, closes = _clock(interval.open), _clock(interval.close)
        if opens is not None and opens <= clock and (closes is None or clock < closes):
            return True
    return False


def closing_time(hours: Hours, timezone: str, now: datetime) -> str | None:
    """When the interval the business is open in now ends ("HH:MM")."""
    local = local_now(now, timezone)
    clock = local.time().replace(tzinfo=None)
    for interval in hours.get(WEEK[local.weekday()], ()):
        opens, closes = _clock(interval.open), _clock(interval.close)
        if opens is not None and opens <= clock and (closes is None or clock < closes):
            return interval.close
    return None


def next_opening(hours: Hours, timezone: str, now: datetime) -> Opening | None:
    """The next time the business opens after ``now`` (within a week)."""
    local = local_now(now, timezone)
    for offset in range(8):
        date = (local + timedelta(days=offset)).date()
        day = WEEK[date.weekday()]
        for interval in hours.get(day, ()):
            opens = _clock(interval.open)
            if opens is None:
                continue
            start = datetime.combine(date, opens, tzinfo=local.tzinfo)
            if start > local:
                return Opening(day, interval.open, interval.close, start)
    return None


def spoken_time(value: str) -> str:
    """ "09:00" -> "9 AM", "17:30" -> "5:30 PM", "12:00" -> "noon", "24:00" -> "midnight"."""
    hours, minutes = (int(part) for part in value.split(":"))
    if hours in (0, 24) and minutes == 0:
        return "midnight"
    if hours == 12 and minutes == 0:  # noqa: PLR2004
        return "noon"
    suffix = "AM" if hours < 12 else "PM"  # noqa: PLR2004
    twelve = hours % 12 or 12
    return f"{twelve}:{minutes:02d} {suffix}" if minutes else f"{twelve} {suffix}"


def spoken_intervals(intervals: Sequence[OpeningInterval]) -> str:
    parts = [f"from {spoken_time(i.open)} to {spoken_time(i.close)}" for i in intervals]
    return " and ".join(parts)


def _day_name(day: Weekday) -> str:
    return day.value.capitalize()


def spoken_week(hours: Hours) -> str:
    """ "We're open Monday to Friday from 9 AM to 5 PM, and Saturday from 10 AM to noon." """
    groups: list[tuple[list[Weekday], str]] = []
    for day in WEEK:
        intervals = hours.get(day, ())
        if not intervals:
            continue
        text = spoken_intervals(intervals)
        previous = groups[-1] if groups else None
        adjacent = previous is not None and WEEK.index(previous[0][-1]) == WEEK.index(day) - 1
        if previous is not None and adjacent and previous[1] == text:
            previous[0].append(day)
        else:
            groups.append(([day], text))
    if not groups:
        return "We don't have regular opening hours."
    phrases = []
    for days, text in groups:
        names = _day_name(days[0])
        if len(days) == 2:  # noqa: PLR2004
            names = f"{_day_name(days[0])} and {_day_name(days[1])}"
        elif len(days) > 2:  # noqa: PLR2004
            names = f"{_day_name(days[0])} to {_day_name(days[-1])}"
        phrases.append(f"{names} {text}")
    joined = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + f", and {phrases[-1]}"
    return f"We're open {joined}."


def spoken_next_opening(opening: Opening, now: datetime, timezone: str) -> str:
    """ "today at 9 AM", "tomorrow at 9 AM", "on Monday at 9 AM"."""
    days = (opening.start.date() - local_now(now, timezone).date()).days
    when = {0: "today", 1: "tomorrow"}.get(days, f"on {_day_name(opening.day)}")
    return f"{when} at {spoken_time(opening.opens)}"
