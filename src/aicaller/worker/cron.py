"""A typed wrapper around croniter (which ships no type information)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from croniter import croniter  # type: ignore[import-untyped]


def is_valid_cron(expression: str) -> bool:
    return bool(croniter.is_valid(expression))


def latest_fire_time(expression: str, now: datetime) -> datetime:
    """The latest time at or before ``now`` (to the second) that ``expression`` fires, in UTC."""
    # croniter's get_prev() is strictly before its start, so start just after this second.
    start = now.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
    fired: datetime = croniter(expression, start).get_prev(datetime)
    return fired.astimezone(UTC)
