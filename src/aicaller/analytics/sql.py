"""SQL building blocks that mean the same on SQLite and PostgreSQL, and what every report
query shares (rows per bucket, the period filter, the session settings for reports).

``bucket_index`` turns a timestamp column into the number of the bucket it falls in, as a
balanced tree of ``CASE`` comparisons against the bucket boundaries (bound UTC parameters), so a
row costs about log2(buckets) comparisons and no timezone arithmetic happens in SQL. The two
expressions that do need the engine's own functions (seconds since the epoch, a timestamp moved
by some seconds, a text compared bytewise) are compiled per dialect.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, String, bindparam, case, func, literal_column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from aicaller.database.types import UTCDateTime

_UTC = UTCDateTime()
Row = dict[str, Any]


def utc_param(value: datetime) -> Any:
    """A bound UTC timestamp, stored the way the column type stores it on each engine."""
    return bindparam(None, value, type_=_UTC)


def bucket_index(column: Any, cuts: Sequence[datetime]) -> ColumnElement[int]:
    """The bucket of ``column``: ``i`` when ``cuts[i] <= column < cuts[i + 1]``.

    Rows must already be limited to ``cuts[0] <= column < cuts[-1]``. Many buckets of one
    length (hours; days of a business without DST) are numbered by arithmetic instead
    (``uniform_bucket``): a tree of 2,160 hourly cuts took longer to build and bind in Python
    than PostgreSQL took to run it.
    """
    step = uniform_step(cuts)
    if step is not None:
        return uniform_bucket(column, cuts[0], step, len(cuts) - 2)

    def build(low: int, high: int) -> Any:
        if high - low == 1:
            return literal_column(str(int(low)), Integer)
        middle = (low + high) // 2
        return case(
            (column < utc_param(cuts[middle]), build(low, middle)), else_=build(middle, high)
        )

    expression: ColumnElement[int] = build(0, len(cuts) - 1)
    return expression


# Below this many buckets the CASE tree is a handful of comparisons, cheaper than arithmetic.
UNIFORM_MIN_BUCKETS = 8


def uniform_step(cuts: Sequence[datetime]) -> int | None:
    """The buckets' common length in whole seconds, when every bucket but the last has it and
    the last is at least as long (as ``buckets.boundaries`` cuts hours); else ``None``."""
    if len(cuts) - 1 < UNIFORM_MIN_BUCKETS or cuts[0].microsecond:
        return None
    step = cuts[1] - cuts[0]
    if step.microseconds or step <= timedelta(0):
        return None
    if any(later - earlier != step for earlier, later in itertools.pairwise(cuts[:-1])):
        return None
    return int(step.total_seconds()) if cuts[-1] - cuts[-2] >= step else None


class uniform_bucket(FunctionElement[int]):  # noqa: N801
    """``min(floor((column - origin) / step), last)``: the bucket of ``column`` among buckets of
    ``step`` seconds from ``origin`` (a whole second), the last one open-ended. Exact on both
    engines: PostgreSQL's epoch of an interval is a double exact to the microsecond at these
    sizes; SQLite reads the stored text's whole seconds (strftime would round the fraction)."""

    type = Integer()
    inherit_cache = True

    # Clauses: column, origin (timestamp), origin (epoch seconds), step, last; each dialect
    # compiles the origin form it uses, and an unused bind parameter is not sent.
    def __init__(self, column: Any, origin: datetime, step: int, last: int) -> None:
        super().__init__(
            column,
            utc_param(origin),
            bindparam(None, int(origin.timestamp()), type_=Integer),
            bindparam(None, int(step), type_=Integer),
            bindparam(None, int(last), type_=Integer),
        )

    @classmethod
    def bound(cls, column: Any, origin: Any, origin_s: Any, step: Any, last: Any) -> uniform_bucket:
        """The same over bind parameters given by the caller (``analytics.shapes``)."""
        element = cls.__new__(cls)
        FunctionElement.__init__(element, column, origin, origin_s, step, last)
        return element


@compiles(uniform_bucket)
def _uniform_default(element: uniform_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column, origin, _, step, last = (compiler.process(c, **kw) if i != 2 else ""  # noqa: PLR2004
                                     for i, c in enumerate(element.clauses))  # fmt: skip
    bucket = f"CAST(FLOOR(date_part('epoch', {column} - {origin}) / {step}) AS INTEGER)"
    return f"LEAST({bucket}, {last})"


@compiles(uniform_bucket, "sqlite")
def _uniform_sqlite(element: uniform_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column, _, origin, step, last = (compiler.process(c, **kw) if i != 1 else ""
                                     for i, c in enumerate(element.clauses))  # fmt: skip
    seconds = f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER)"
    return f"min(({seconds} - {origin}) / {step}, {last})"


class epoch_seconds(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """Seconds since 1970-01-01 UTC of a timestamp column."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_default(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"EXTRACT(EPOCH FROM {compiler.process(column, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"((julianday({compiler.process(column, **kw)}) - 2440587.5) * 86400.0)"


class shifted(FunctionElement[datetime]):  # noqa: N801
    """A timestamp column moved by a whole number of seconds (comparable with the column)."""

    type = _UTC
    inherit_cache = True

    def __init__(self, column: Any, seconds: int) -> None:
        super().__init__(column, bindparam(None, int(seconds), type_=Integer))


@compiles(shifted)
def _shifted_default(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    column, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({column} + {seconds} * INTERVAL '1 second')"


@compiles(shifted, "sqlite")
def _shifted_sqlite(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    # In the stored text format: %f gives milliseconds, the column has six digits.
    column, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(strftime('%Y-%m-%d %H:%M:%f', {column}, {seconds} || ' seconds') || '000')"


class bytewise(FunctionElement[str]):  # noqa: N801
    """A text column compared byte by byte: sorting and grouping phone numbers need no
    locale rules, and PostgreSQL's libc collations (even ``C.UTF-8`` before version 17) make
    every comparison a ``strcoll`` call. Equality is the same under both (deterministic
    collations compare bytes), so results do not change. SQLite compares bytes already."""

    type = String()
    inherit_cache = True


@compiles(bytewise)
def _bytewise_default(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f'({compiler.process(column, **kw)} COLLATE "C")'


@compiles(bytewise, "sqlite")
def _bytewise_sqlite(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return compiler.process(column, **kw)


def count_if(condition: ColumnElement[bool]) -> Any:
    """``COUNT(*) FILTER (WHERE ...)``: both engines have it (SQLite since 3.30)."""
    return func.count().filter(condition)


def ratio(part: float | int | None, whole: float | int | None) -> float | None:
    """``part / whole`` rounded to 4 places; ``None`` when there is nothing to divide by."""
    if not whole or part is None:
        return None
    return round(float(part) / float(whole), 4)


def in_range(column: Any, cuts: Sequence[datetime]) -> list[ColumnElement[bool]]:
    """``cuts[0] <= column < cuts[-1]``: the rows of a report's buckets."""
    return [column >= utc_param(cuts[0]), column < utc_param(cuts[-1])]


def by_bucket(rows: Sequence[Any]) -> dict[int, Row]:
    """Result rows keyed by their ``bucket`` column (buckets without rows are absent)."""
    return {int(row.bucket): dict(row._mapping) for row in rows}


async def tune_for_reports(session: AsyncSession) -> None:
    """PostgreSQL settings for this transaction's report statements, in one round trip:

    - room to hash in memory (the planner cannot estimate how few buckets a ``CASE`` makes, and
      would sort on disk);
    - no JIT (compiling a bucket tree of thousands of comparisons costs PostgreSQL's JIT far
      more than the statements themselves take without it);
    - a plan for the actual parameters every time. asyncpg prepares each statement, and after
      five runs PostgreSQL may switch to a generic plan that guesses how many rows a date range
      holds, which picks a slower plan for the call figures than planning anew costs (see
      docs/benchmarks.md, "Analytics")."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text(
                "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),"
                " set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
        )
