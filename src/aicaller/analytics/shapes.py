"""Report statements built once per shape and bound per execution.

Building a report's statement (a ``CASE`` tree per list of cuts, a select list of twenty sums)
and deriving its cache key cost Python more than some of those statements cost PostgreSQL.
What a statement depends on besides the values is small: how many cuts, whether they are
numbered by arithmetic, which buckets a p90 reads. So the overview's statements are built once
per such shape (``functools.lru_cache`` in their modules) with named bind parameters, and each
execution passes the values (``Shape.params``); SQLAlchemy then finds the compiled form by the
statement's memoised cache key, and asyncpg its prepared statement by the SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, case, literal_column
from sqlalchemy.sql.elements import ColumnElement

from aicaller.analytics.sql import uniform_bucket, uniform_step
from aicaller.database.models.call_rollup import SLOT_SECONDS
from aicaller.database.types import UTCDateTime

_UTC = UTCDateTime()
BUSINESS = "business_id"


def business() -> Any:
    """The business's id, bound by name (``BUSINESS``)."""
    return bindparam(BUSINESS)


def number(name: str) -> Any:
    return bindparam(name, type_=Integer)


def instant(name: str) -> Any:
    """A named UTC timestamp, stored the way the column type stores it (``sql.utc_param``)."""
    return bindparam(name, type_=_UTC)


def slot_of(cut: datetime) -> int:
    return int(cut.timestamp()) // SLOT_SECONDS


def tree(column: Any, bounds: Sequence[Any]) -> ColumnElement[int]:
    """``i`` when ``bounds[i] <= column < bounds[i + 1]`` (rows already in range), as a
    balanced tree of comparisons (``sql.bucket_index``)."""

    def build(low: int, high: int) -> Any:
        if high - low == 1:
            return literal_column(str(int(low)), Integer)
        middle = (low + high) // 2
        return case((column < bounds[middle], build(low, middle)), else_=build(middle, high))

    expression: ColumnElement[int] = build(0, len(bounds) - 1)
    return expression


@dataclass(frozen=True, slots=True)
class Shape:
    """A list of cuts as a statement sees it: how many, whether the buckets are numbered by
    arithmetic (``sql.uniform_step``), and whether the column holds timestamps or slot numbers
    (``call_rollups.slot``). Its bind parameters are named ``{prefix}{i}``."""

    count: int
    uniform: bool
    slots: bool = False
    prefix: str = "cut"

    @classmethod
    def of(cls, cuts: Sequence[datetime], *, slots: bool = False, prefix: str = "cut") -> Shape:
        return cls(len(cuts), uniform_step(cuts) is not None, slots, prefix)

    def bound(self, i: int) -> Any:
        name = f"{self.prefix}{i}"
        return number(name) if self.slots else instant(name)

    def in_range(self, column: Any) -> list[ColumnElement[bool]]:
        """``cuts[0] <= column < cuts[-1]``."""
        return [column >= self.bound(0), column < self.bound(self.count - 1)]

    def bucket(self, column: Any) -> ColumnElement[int]:
        """The bucket of ``column`` (``sql.bucket_index``, ``rollups.slot_bucket``)."""
        p = self.prefix
        if self.uniform and self.slots:
            index = (column - number(f"{p}origin")) // number(f"{p}step")
            return case((index > number(f"{p}last"), number(f"{p}last")), else_=index)
        if self.uniform:
            origin = (instant(f"{p}origin"), number(f"{p}origin_s"))
            return uniform_bucket.bound(column, *origin, number(f"{p}step"), number(f"{p}last"))
        return tree(column, [self.bound(i) for i in range(self.count)])

    def params(self, cuts: Sequence[datetime]) -> dict[str, Any]:
        """The values of this shape's parameters for ``cuts``."""
        p = self.prefix
        values = [slot_of(cut) if self.slots else cut for cut in cuts]
        found: dict[str, Any] = {f"{p}{i}": value for i, value in enumerate(values)}
        step = uniform_step(cuts)
        if self.uniform and step is not None:
            found[f"{p}last"] = len(cuts) - 2
            found[f"{p}step"] = step // SLOT_SECONDS if self.slots else step
            found[f"{p}origin"] = values[0]
            found[f"{p}origin_s"] = int(cuts[0].timestamp())
        return found
