"""Running a report's statements: at the same time on connections of their own (PostgreSQL), or
one after another on the request's session.

A cold dashboard is a handful of independent aggregates (call figures, repeat callers, QA
scores, open escalations, knowledge gaps), each a pass over tens of thousands of index entries.
Run one after another they cost the sum of their times; on PostgreSQL each can run on its own
connection, so the report costs about the longest one (on as many cores as the server has).

This does not weaken what a report sees: under READ COMMITTED every statement already takes its
own snapshot, so statements of one report never saw one instant even on one connection.

Extra connections come from a small per-engine budget (``analytics_parallel_connections``) that
is taken without waiting: a report that finds it spent runs on the request's session alone, so
no request ever waits for a slot while it holds a pooled connection (no deadlock with the pool).
SQLite runs everything on the request's session: its connections share one file and one writer,
and a parallel read would gain little.
"""

from __future__ import annotations

import asyncio
import math
import uuid
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from aicaller.analytics.figures import Pass
from aicaller.analytics.queries.calls import CallQueries
from aicaller.analytics.queries.escalations import EscalationQueries
from aicaller.analytics.queries.gaps import GapQueries
from aicaller.analytics.queries.qa import QaQueries
from aicaller.analytics.queries.rollups import RollupQueries, aligned
from aicaller.analytics.sql import Row, tune_for_reports
from aicaller.database.session import Database


@dataclass(frozen=True, slots=True)
class Reader:
    """The aggregate queries of one business, on one session."""

    calls: CallQueries
    escalations: EscalationQueries
    qa: QaQueries
    gaps: GapQueries
    rollups: RollupQueries | None
    dialect: str

    @classmethod
    def of(cls, session: AsyncSession, business_id: uuid.UUID, rollups: bool = True) -> Reader:
        """``rollups=False`` reads every figure from the calls (what the tests compare with)."""
        return cls(
            CallQueries(session, business_id),
            EscalationQueries(session, business_id),
            QaQueries(session, business_id),
            GapQueries(session, business_id),
            RollupQueries(session, business_id) if rollups else None,
            session.get_bind().dialect.name,
        )

    async def figures(
        self, source: Pass, cuts: Sequence[datetime], names: Collection[str] | None = None
    ) -> dict[int, Row]:
        """The row per bucket of one pass (``analytics.figures``): its figures' aggregates (the
        calls pass selects only those of ``names``, when given). The calls and QA passes sum
        the per-slot rollups when the cuts fall on slot boundaries (every figure of both)."""
        if source in (Pass.CALLS, Pass.QA) and self.rollups is not None and aligned(cuts):
            return await self.rollups.call_figures(cuts)
        if source is Pass.REPEAT and self.rollups is not None and aligned(cuts):
            return await self._repeat_from_facts(self.rollups, cuts)
        if source is Pass.DURATIONS and self.rollups is not None and aligned(cuts):
            return await self._p90(self.rollups, cuts)
        if source is Pass.CALLS:
            return await self.calls.call_figures(cuts, names)
        statements = {
            Pass.REPEAT: self.calls.repeat_callers,
            Pass.QA: self.qa.score_figures,
            Pass.DURATIONS: self.calls.p90_durations,
            Pass.ESCALATIONS: self.escalations.open_per_bucket,
            Pass.GAPS: self.gaps.knowledge_gaps,
        }
        return await statements[source](cuts)

    async def _repeat_from_facts(
        self, rollups: RollupQueries, cuts: Sequence[datetime]
    ) -> dict[int, Row]:
        """The repeat pass's row per bucket (``CallQueries.repeat_callers``' aggregates) from
        the followed calls (migration 0026's fact) and the inbound calls' rollups."""
        inbound = await rollups.inbound_calls(cuts)
        return repeat_rows(inbound, await self.calls.followed_calls(cuts))

    async def _p90(self, rollups: RollupQueries, cuts: Sequence[datetime]) -> dict[int, Row]:
        counts, total = await rollups.timed_calls(cuts)
        return await self.p90_from(counts, total, cuts)

    async def p90_from(
        self, counts: dict[int, int], total: int, cuts: Sequence[datetime]
    ) -> dict[int, Row]:
        """The durations pass, given each bucket's timed calls and the business's (from the
        rollups): each bucket's p90 read from the longest calls down (its rank known from the
        count) when that reads fewer index entries than the histogram over the bucket's calls
        would (few buckets holding much of the business's history, as a dashboard's two
        periods), else the histogram. The same values either way."""
        offsets = {b: n - math.ceil(0.9 * n) for b, n in counts.items() if n > 0}
        from_the_top = sum(total * (offset + 1) / counts[b] for b, offset in offsets.items())
        if len(offsets) > NTH_LONGEST_BUCKETS or from_the_top >= sum(counts.values()):
            return await self.calls.p90_durations(cuts)
        return await self.calls.nth_longest(cuts, offsets)


def repeat_rows(inbound: dict[int, int], followed: dict[int, tuple[int, int]]) -> dict[int, Row]:
    """The repeat pass's rows from the inbound calls per bucket and, per bucket, the numbers
    with a followed call and the followed calls (``CallQueries.followed_calls``)."""
    rows: dict[int, Row] = {}
    for bucket, calls in inbound.items():
        if calls == 0:
            continue  # no inbound call: the pass has no row for the bucket
        callers, repeats = followed.get(bucket, (0, 0))
        rows[bucket] = {
            "bucket": bucket,
            "repeat_callers": callers,
            "repeat_calls": repeats,
            "not_followed_up_calls": calls - repeats,
            "repeat_window_calls": calls,
        }
    return rows


# Above this many buckets one statement of scalar subqueries grows long; a chart's days take
# the histogram.
NTH_LONGEST_BUCKETS = 4

Job = Callable[[Reader], Awaitable[Any]]


class _Budget:
    """Extra connections reports may hold at once in this process (per engine)."""

    def __init__(self, size: int) -> None:
        self.free = size

    def take(self, wanted: int) -> int:
        taken = max(0, min(wanted, self.free))
        self.free -= taken
        return taken

    def give(self, count: int) -> None:
        self.free += count


_budgets: weakref.WeakKeyDictionary[AsyncEngine, _Budget] = weakref.WeakKeyDictionary()


def _budget(engine: AsyncEngine, size: int) -> _Budget:
    budget = _budgets.get(engine)
    if budget is None:
        budget = _budgets[engine] = _Budget(size)
    return budget


class Runner:
    """Runs report jobs; ``gather`` returns their results in the order given."""

    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        database: Database | None = None,
        connections: int = 0,
        rollups: bool = True,
    ) -> None:
        self.reader = Reader.of(session, business_id, rollups)
        self.business_id = business_id
        self.rollups = rollups
        self.database = database if self.reader.dialect == "postgresql" else None
        self.connections = connections

    @property
    def dialect(self) -> str:
        return self.reader.dialect

    async def gather(self, *jobs: Job) -> list[Any]:
        """Run ``jobs``, longest first for the best spread (the caller orders them)."""
        if self.database is None or len(jobs) <= 1 or self.connections < 1:
            return [await job(self.reader) for job in jobs]
        budget = _budget(self.database.engine, self.connections)
        extra = budget.take(len(jobs) - 1)
        if extra == 0:
            return [await job(self.reader) for job in jobs]
        try:
            return await self._concurrently(self.database, jobs, extra)
        finally:
            budget.give(extra)

    async def _concurrently(
        self, database: Database, jobs: tuple[Job, ...], extra: int
    ) -> list[Any]:
        results: list[Any] = [None] * len(jobs)
        pending = deque(enumerate(jobs))

        async def drain(reader: Reader) -> None:
            while pending:
                index, job = pending.popleft()
                results[index] = await job(reader)

        async def on_own_connection() -> None:
            # Read only and never committed: the session closes with a rollback.
            async with database.sessionmaker() as session:
                await tune_for_reports(session)
                await drain(Reader.of(session, self.business_id, self.rollups))

        tasks = [asyncio.ensure_future(drain(self.reader))]
        tasks += [asyncio.ensure_future(on_own_connection()) for _ in range(extra)]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # Start nothing more, and let each statement in flight finish rather than cancel
            # it: a statement cancelled halfway leaves its connection unusable, and one of
            # them is the request's own session. The wait is at most one statement long.
            pending.clear()
            await asyncio.shield(asyncio.gather(*tasks, return_exceptions=True))
            raise
        return results
