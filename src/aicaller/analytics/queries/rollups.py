"""The calls pass's figures summed from the per-slot rollups (``call_rollups``, migration 0025)
instead of read from every call: a few thousand rows a period instead of every call in it.

The rollups hold, per business and 15-minute UTC slot, exactly the counts and sums the calls
pass aggregates (``analytics.figures``), so when every bucket boundary falls on a slot
boundary the figures are the same numbers. ``aligned`` says whether they do: every local
midnight and hour of every timezone in use today falls on a quarter hour; some historical
offsets (before 1972 in a few zones) do not, and those reports read the calls.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    not_,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from aicaller.analytics.shapes import BUSINESS, Shape, business
from aicaller.analytics.sql import Row, uniform_step
from aicaller.database.models.call_rollup import SLOT_SECONDS, call_rollups

# A figure's name in the calls pass -> the rollup column that counts it.
COUNTS = {
    "total_calls": "calls",
    "inbound_calls": "inbound_calls",
    "outbound_calls": "outbound_calls",
    "web_calls": "web_calls",
    "answered_calls": "answered_calls",
    "missed_calls": "missed_calls",
    "abandoned_calls": "abandoned_calls",
    "contained_calls": "contained_calls",
    "completed_calls": "completed_calls",
    "escalated_calls": "escalated_calls",
    "sentiment_positive": "sentiment_positive",
    "sentiment_neutral": "sentiment_neutral",
    "sentiment_negative": "sentiment_negative",
    "sentiment_unknown": "sentiment_unknown",
    "evaluated_calls": "evaluated_calls",
    "auto_failed_calls": "auto_failed_calls",
}
# Averages: the figure's name -> (the sum, how many were summed).
AVERAGES = {
    "avg_handle_time_seconds": ("handle_seconds", "timed_calls"),
    "avg_qa_score": ("qa_score_sum", "scored_calls"),
}
_SUMMED = (*COUNTS.values(), *(column for pair in AVERAGES.values() for column in pair))


def aligned(cuts: Sequence[datetime]) -> bool:
    """Whether every boundary falls on a slot boundary (whole slots make every bucket)."""
    return all(cut.microsecond == 0 and int(cut.timestamp()) % SLOT_SECONDS == 0 for cut in cuts)


def _slot(cut: datetime) -> int:
    return int(cut.timestamp()) // SLOT_SECONDS


def _int(value: int) -> Any:
    return bindparam(None, value, type_=Integer)


def slot_bucket(column: Any, cuts: Sequence[datetime]) -> ColumnElement[int]:
    """The bucket of a slot number between ``aligned`` cuts (as ``sql.bucket_index`` for a
    timestamp): by arithmetic when the buckets are of one length (hours), else a tree of
    comparisons. Slots are never negative, so integer division floors on both engines."""
    slots = [_slot(cut) for cut in cuts]
    step = uniform_step(cuts)
    if step is not None:
        last = len(slots) - 2
        index = (column - _int(slots[0])) // _int(step // SLOT_SECONDS)
        return case((index > _int(last), _int(last)), else_=index)

    def build(low: int, high: int) -> Any:
        if high - low == 1:
            return literal_column(str(int(low)), Integer)
        middle = (low + high) // 2
        return case((column < _int(slots[middle]), build(low, middle)), else_=build(middle, high))

    expression: ColumnElement[int] = build(0, len(slots) - 1)
    return expression


class RollupQueries:
    """Sums over one business's rollups; every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def call_figures(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Per bucket, the calls pass's aggregates (``CallQueries.call_figures``' row), for
        ``cuts`` that are ``aligned``."""
        r = call_rollups.c
        rows = (
            select(slot_bucket(r.slot, cuts).label("bucket"), *(r[c] for c in _SUMMED))
            .where(
                r.business_id == self.business_id,
                r.slot >= _int(_slot(cuts[0])),
                r.slot < _int(_slot(cuts[-1])),
            )
            .subquery()
        )
        stmt = select(rows.c.bucket, *(func.sum(rows.c[c]).label(c) for c in _SUMMED)).group_by(
            rows.c.bucket
        )
        return {
            int(row.bucket): _figures(row._mapping) for row in (await self.session.execute(stmt))
        }

    async def inbound_calls(self, cuts: Sequence[datetime]) -> dict[int, int]:
        """Per bucket, the inbound calls (the repeat pass's whole), for ``aligned`` cuts."""
        r = call_rollups.c
        rows = (
            select(slot_bucket(r.slot, cuts).label("bucket"), r.inbound_calls)
            .where(
                r.business_id == self.business_id,
                r.slot >= _int(_slot(cuts[0])),
                r.slot < _int(_slot(cuts[-1])),
            )
            .subquery()
        )
        stmt = select(
            rows.c.bucket, func.sum(rows.c.inbound_calls).label("repeat_window_calls")
        ).group_by(rows.c.bucket)
        return {int(bucket): int(n or 0) for bucket, n in await self.session.execute(stmt)}

    async def timed_calls(self, cuts: Sequence[datetime]) -> tuple[dict[int, int], int]:
        """Per bucket, the answered calls with a duration (the durations pass's rows), for
        ``aligned`` cuts; and how many the business has in all (bucket -1 holds the rest)."""
        r = call_rollups.c
        inside = and_(r.slot >= _int(_slot(cuts[0])), r.slot < _int(_slot(cuts[-1])))
        rows = (
            select(
                case((inside, slot_bucket(r.slot, cuts)), else_=_int(-1)).label("bucket"),
                r.timed_calls,
            )
            .where(r.business_id == self.business_id)
            .subquery()
        )
        stmt = select(rows.c.bucket, func.sum(rows.c.timed_calls).label("timed_calls")).group_by(
            rows.c.bucket
        )
        counts = {int(bucket): int(n or 0) for bucket, n in await self.session.execute(stmt)}
        total = sum(counts.values())
        counts.pop(-1, None)
        return counts, total

    async def sums(self, cuts: Sequence[datetime], total: bool) -> tuple[dict[int, Row], int]:
        """Per bucket of ``aligned`` cuts, every summed column (``figures_of`` makes the calls
        pass's row of them); with ``total``, also how many timed calls the business has in
        all (``timed_calls``' total, for the p90's plan), else 0. One statement: a report's
        lists of cuts share one pass over their union (``analytics.summed``)."""
        shape = Shape.of(cuts, slots=True)
        params = {BUSINESS: self.business_id, **shape.params(cuts)}
        result = await self.session.execute(_sums_statement(shape, total), params)
        rows = {int(row[0]): dict(row._mapping) for row in result}
        outside_timed = rows.pop(-1, {}).get("timed_calls") or 0
        timed = sum(int(row["timed_calls"] or 0) for row in rows.values())
        return rows, (int(outside_timed) + timed if total else 0)


@functools.lru_cache(maxsize=128)
def _sums_statement(shape: Shape, total: bool) -> Any:
    r = call_rollups.c
    low, high = shape.in_range(r.slot)
    inside = (
        select(shape.bucket(r.slot).label("bucket"), *(func.sum(r[c]).label(c) for c in _SUMMED))
        .where(r.business_id == business(), low, high)
        .group_by(literal_column("1"))
    )
    if not total:
        return inside
    # The timed calls outside the range, as bucket -1 (the other sums stay NULL).
    outside = select(
        _int(-1), *(func.sum(r[c]) if c == "timed_calls" else null() for c in _SUMMED)
    ).where(r.business_id == business(), or_(not_(low), not_(high)))
    return union_all(inside, outside)


def figures_of(sums: Any) -> Row:
    """The calls pass's row (``CallQueries.call_figures``) from a bucket's summed columns."""
    return _figures(sums)


def _figures(sums: Any) -> Row:
    row: Row = {name: int(sums[column] or 0) for name, column in COUNTS.items()}
    for name, (total, count) in AVERAGES.items():
        summed, n = sums[total] or 0, int(sums[count] or 0)
        # PostgreSQL's avg of integers is an exact decimal; a float division of the exact
        # integer sum rounds the same way to two places.
        row[name] = summed / n if n else None
    return row
