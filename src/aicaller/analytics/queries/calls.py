"""SQL aggregates over one business's calls, per time bucket: the call figures, the
90th-percentile duration, repeat callers, and call volume.

Every method takes the bucket boundaries (UTC instants, see ``analytics.buckets``) and returns
one small row per bucket: the database does the counting, Python only reads the aggregates. The
figures each statement selects, and what they mean, are defined in ``analytics.figures``.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.figures import ANSWERED, Pass, select_list
from aicaller.analytics.shapes import BUSINESS, Shape, business, number
from aicaller.analytics.sql import (
    Row,
    bucket_index,
    by_bucket,
    bytewise,
    in_range,
    shifted,
    utc_param,
)
from aicaller.database.models import Call
from aicaller.database.models.call import CallDirection

REPEAT_WINDOW = timedelta(days=7)
REPEAT_SECONDS = int(REPEAT_WINDOW.total_seconds())


class CallQueries:
    """Aggregates over one business's calls; every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def call_figures(
        self, cuts: Sequence[datetime], names: Collection[str] | None = None
    ) -> dict[int, Row]:
        """The figures of the calls and QA passes per bucket (only those in ``names``, when
        given: a chart's series needs three of them, and each aggregate costs per row), in one
        pass over the analytics index: whether a call was escalated and its effective
        evaluation are kept on the call by the database (migration 0011)."""
        calls = (
            select(
                bucket_index(Call.started_at, cuts).label("bucket"),
                Call.direction,
                Call.status,
                Call.duration_seconds,
                Call.sentiment,
                Call.end_reason,
                Call.escalated,
                Call.qa_evaluator,
                Call.qa_score,
                Call.qa_auto_failed,
            )
            .where(Call.business_id == self.business_id, *in_range(Call.started_at, cuts))
            .subquery()
        )
        stmt = select(calls.c.bucket, *select_list(calls.c, Pass.CALLS, Pass.QA, names=names))
        return by_bucket((await self.session.execute(stmt.group_by(calls.c.bucket))).all())

    async def p90_durations(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """The 90th percentile (nearest rank: the value at rank ceil(0.9 n)) of answered
        calls' durations per bucket.

        From a histogram: calls are counted per bucket and whole second (a hash aggregate,
        some thousands of rows), and the running count over those rows finds the rank. Sorting
        every call's duration (a window, or PostgreSQL's ``percentile_disc``) cost twice as
        much, and SQLite has no percentiles."""
        durations = (
            select(
                bucket_index(Call.started_at, cuts).label("bucket"),
                Call.duration_seconds.label("duration"),
            )
            .where(
                Call.business_id == self.business_id,
                *in_range(Call.started_at, cuts),
                Call.status.in_(ANSWERED),
                Call.duration_seconds.is_not(None),
            )
            .subquery()
        )
        d = durations.c
        # A materialised CTE on PostgreSQL: inlined, the planner misjudges how many groups the
        # histogram has (it expects one per call, not a few thousand) and sorts every call for
        # the window below instead of hashing.
        histogram = (
            select(d.bucket, d.duration, func.count().label("calls"))
            .group_by(d.bucket, d.duration)
            .cte("histogram")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        h = histogram.c
        ranked = select(
            h.bucket,
            h.duration,
            func.sum(h.calls).over(partition_by=h.bucket, order_by=h.duration).label("upto"),
            func.sum(h.calls).over(partition_by=h.bucket).label("n"),
        ).subquery()
        stmt = (
            select(ranked.c.bucket, func.min(ranked.c.duration).label("p90_duration_seconds"))
            .where(ranked.c.upto * 10 >= ranked.c.n * 9)
            .group_by(ranked.c.bucket)
        )
        return by_bucket((await self.session.execute(stmt)).all())

    async def nth_longest(
        self, cuts: Sequence[datetime], offsets: dict[int, int]
    ) -> dict[int, Row]:
        """Per bucket in ``offsets``, the duration at that offset (0 the longest) among the
        bucket's answered calls with a duration, longest first: the p90 when the offset is
        ``n - ceil(0.9 n)`` (the caller knows ``n`` from the rollups). Each is read from the
        index on (business, duration, start, status) from the longest down, so a bucket costs
        about ``offset`` times the business's calls over the bucket's, not a pass over the
        bucket (the caller chooses it when that is fewer rows)."""
        if not offsets:
            return {}
        shape = Shape.of(cuts)
        params = {BUSINESS: self.business_id, **shape.params(cuts)}
        params.update({f"offset{b}": offset for b, offset in offsets.items()})
        stmt = _nth_longest_statement(shape, tuple(sorted(offsets)))
        row = (await self.session.execute(stmt, params)).one()._mapping
        found = {int(key[1:]): value for key, value in row.items()}
        return {
            b: {"bucket": b, "p90_duration_seconds": v} for b, v in found.items() if v is not None
        }

    async def repeat_callers(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Inbound calls followed by another inbound call from the same number within 7 days,
        and how many numbers that was, per bucket of the first call (the repeat pass's
        figures).

        One pass with ``LEAD()`` over the number's inbound calls (ordered by start), read up to
        7 days past the range so a follow-up after the range still counts; the figures are
        read from one row per bucket and number (``analytics.figures``, the repeat pass).
        """
        inbound = (
            select(
                Call.from_number,
                Call.started_at,
                func.lead(Call.started_at)
                .over(partition_by=bytewise(Call.from_number), order_by=Call.started_at)
                .label("next_started_at"),
            )
            .where(
                Call.business_id == self.business_id,
                Call.direction == CallDirection.INBOUND.value,
                Call.started_at >= utc_param(cuts[0]),
                Call.started_at < utc_param(cuts[-1] + REPEAT_WINDOW),
            )
            .subquery()
        )
        within = inbound.c.next_started_at <= shifted(inbound.c.started_at, REPEAT_SECONDS)
        flagged = (
            select(
                bucket_index(inbound.c.started_at, cuts).label("bucket"),
                inbound.c.from_number,
                case((within, 1), else_=0).label("followed"),
            )
            .where(inbound.c.started_at < utc_param(cuts[-1]))
            .subquery()
        )
        # Per number first, then per bucket: both hash aggregates. Counting distinct numbers
        # per bucket directly made PostgreSQL sort every call again by bucket.
        numbers = (
            select(
                flagged.c.bucket,
                func.sum(flagged.c.followed).label("followed"),
                func.count().label("calls"),
            )
            .group_by(flagged.c.bucket, bytewise(flagged.c.from_number))
            .subquery()
        )
        stmt = select(numbers.c.bucket, *select_list(numbers.c, Pass.REPEAT))
        return by_bucket((await self.session.execute(stmt.group_by(numbers.c.bucket))).all())

    async def followed_calls(self, cuts: Sequence[datetime]) -> dict[int, tuple[int, int]]:
        """Per bucket, how many numbers had a followed inbound call and how many such calls
        there were: the repeat pass from the fact migration 0026 keeps on each call (whether
        its number's next inbound call started within 7 days), read from the partial index of
        the followed calls alone. ``repeat_callers`` computes the same from the calls."""
        shape = Shape.of(cuts)
        params = {BUSINESS: self.business_id, **shape.params(cuts)}
        return {
            int(bucket): (int(callers), int(calls))
            for bucket, callers, calls in await self.session.execute(
                _followed_statement(shape), params
            )
        }

    async def volume(self, cuts: Sequence[datetime], group_by: str | None) -> list[Row]:
        """Calls per bucket, and per direction or status when ``group_by`` names one."""
        dimension = {"direction": Call.direction, "status": Call.status}.get(group_by or "")
        columns: list[Any] = [bucket_index(Call.started_at, cuts).label("bucket")]
        if dimension is not None:
            columns.append(dimension.label("group"))
        sub = (
            select(*columns)
            .where(Call.business_id == self.business_id, *in_range(Call.started_at, cuts))
            .subquery()
        )
        keys = [sub.c.bucket, *([sub.c.group] if dimension is not None else [])]
        stmt = select(*keys, func.count().label("calls")).group_by(*keys)
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]


@functools.lru_cache(maxsize=64)
def _followed_statement(shape: Shape) -> Any:
    followed = (
        select(shape.bucket(Call.started_at).label("bucket"), Call.from_number)
        .where(
            Call.business_id == business(),
            Call.repeat_followed == true(),
            *shape.in_range(Call.started_at),
        )
        .subquery()
    )
    numbers = (
        select(followed.c.bucket, func.count().label("calls"))
        .group_by(followed.c.bucket, bytewise(followed.c.from_number))
        .subquery()
    )
    return select(numbers.c.bucket, func.count(), func.sum(numbers.c.calls)).group_by(
        numbers.c.bucket
    )


@functools.lru_cache(maxsize=64)
def _nth_longest_statement(shape: Shape, buckets: tuple[int, ...]) -> Any:
    values = []
    for bucket in buckets:
        longest = (
            select(Call.duration_seconds)
            .where(
                Call.business_id == business(),
                Call.duration_seconds.is_not(None),
                Call.status.in_(ANSWERED),
                Call.started_at >= shape.bound(bucket),
                Call.started_at < shape.bound(bucket + 1),
            )
            .order_by(Call.duration_seconds.desc())
            .limit(1)
            .offset(number(f"offset{bucket}"))
        )
        values.append(longest.scalar_subquery().label(f"b{bucket}"))
    return select(*values)
