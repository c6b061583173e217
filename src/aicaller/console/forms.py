"""Turning HTML form values into what the API's request models take (no validation here: the
models validate, and say what is wrong)."""

from __future__ import annotations

from typing import Any


def optional(value: Any) -> str | None:
    """A text field's value, or None when it was left empty (or is not text)."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def lines(value: Any) -> list[str]:
    """A textarea of one entry a line (commas separate too)."""
    if not isinstance(value, str):
        return []
    return [part.strip() for line in value.splitlines() for part in line.split(",") if part.strip()]


def hours_field(value: Any) -> list[dict[str, str]]:
    """``"09:00-12:00, 13:00-17:00"`` as opening intervals; empty is closed all day."""
    intervals = []
    for part in lines(value):
        opening, _, closing = part.partition("-")
        intervals.append({"open": opening.strip(), "close": closing.strip()})
    return intervals


def hours_text(intervals: list[Any]) -> str:
    return ", ".join(f"{interval.open}-{interval.close}" for interval in intervals)
