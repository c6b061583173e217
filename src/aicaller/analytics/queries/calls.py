"""SQL aggregates over calls (and knowledge gaps), per time bucket, for one business.

Every method takes the bucket boundaries (UTC instants, see ``analytics.buckets``) and returns
one small row per bucket: the database does the counting, Python only reads the aggregates.
Definitions (also in docs/api.md): a call belongs to the bucket its ``started_at`` falls in;
answered = completed or in progress; missed = no answer, busy or failed; abandoned = canceled;
handle time = ``duration_seconds`` of answered calls; contained = completed without any
escalation and not ended by a transfer or escalation; a call's QA score is its effective
evaluation's (see ``qa_queries``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.queries.qa import qa_figures
from aicaller.analytics.sql import bucket_index, bytewise, count_if, shifted, utc_param
from aicaller.database.models import Call, KnowledgeGap
from aicaller.database.models.call import CallDirection, CallStatus, Sentiment

ANSWERED = (CallStatus.COMPLETED.value, CallStatus.IN_PROGRESS.value)
MISSED = (CallStatus.NO_ANSWER.value, CallStatus.BUSY.value, CallStatus.FAILED.value)
HANDOFF_END_REASONS = ("transferred", "escalated")
REPEAT_WINDOW = timedelta(days=7)
REPEAT_SECONDS = int(REPEAT_WINDOW.total_seconds())
Row = dict[str, Any]


def _by_bucket(rows: Sequence[Any]) -> dict[int, Row]:
    return {int(row.bucket): dict(row._mapping) for row in rows}


async def tune_for_reports(session: AsyncSession) -> None:
    """PostgreSQL settings for this transaction's report statements, in one round trip:

    - room to hash in memory (the planner cannot estimate how few buckets a ``CASE`` makes, and
      would sort on disk);
    - no JIT (compiling a bucket tree of thousands of comparisons takes PostgreSQL's JIT tens of
      seconds, for statements that run in milliseconds without it);
    - a plan for the actual parameters every time. asyncpg prepares each statement, and after
      five runs PostgreSQL may switch to a generic plan that guesses how many rows a date range
      holds: the 30-day call figures then took 255 ms instead of 147 (planning is 0.3 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text(
                "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),"
                " set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
        )


class CallQueries:
    """Aggregates over one business's calls; every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    def _in_range(self, column: Any, cuts: Sequence[datetime]) -> list[ColumnElement[bool]]:
        return [column >= utc_param(cuts[0]), column < utc_param(cuts[-1])]

    async def call_figures(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Counts, handle time, containment, escalation, sentiment and the QA figures per
        bucket, in one pass over the analytics index: whether a call was escalated and its
        effective evaluation are kept on the call by the database (migration 0011)."""
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
            .where(Call.business_id == self.business_id, *self._in_range(Call.started_at, cuts))
            .subquery()
        )
        c = calls.c
        answered = c.status.in_(ANSWERED)
        ended_by_handoff = func.coalesce(c.end_reason.in_(HANDOFF_END_REASONS), False)
        contained = and_(
            c.status == CallStatus.COMPLETED.value, not_(c.escalated), not_(ended_by_handoff)
        )
        stmt = select(
            c.bucket,
            func.count().label("total_calls"),
            *(count_if(c.direction == d.value).label(f"{d.value}_calls") for d in CallDirection),
            count_if(answered).label("answered_calls"),
            count_if(c.status.in_(MISSED)).label("missed_calls"),
            count_if(c.status == CallStatus.CANCELED.value).label("abandoned_calls"),
            count_if(c.status == CallStatus.COMPLETED.value).label("completed_calls"),
            func.avg(case((answered, c.duration_seconds), else_=None)).label("avg_handle_time"),
            count_if(contained).label("contained_calls"),
            count_if(c.escalated).label("escalated_calls"),
            *(count_if(c.sentiment == s.value).label(f"sentiment_{s.value}") for s in Sentiment),
            count_if(c.sentiment.is_(None)).label("sentiment_unknown"),
            *qa_figures(c.qa_evaluator, c.qa_score, c.qa_auto_failed),
        ).group_by(c.bucket)
        return _by_bucket((await self.session.execute(stmt)).all())

    async def p90_durations(self, cuts: Sequence[datetime]) -> dict[int, int]:
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
                *self._in_range(Call.started_at, cuts),
                Call.status.in_(ANSWERED),
                Call.duration_seconds.is_not(None),
            )
            .subquery()
        )
        d = durations.c
        # A materialised CTE on PostgreSQL: inlined, the planner sorts every call for the
        # window above (it expects ~100k groups, not ~1,500) instead of hashing (60 -> 40 ms).
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
            select(ranked.c.bucket, func.min(ranked.c.duration).label("p90"))
            .where(ranked.c.upto * 10 >= ranked.c.n * 9)
            .group_by(ranked.c.bucket)
        )
        return {int(r.bucket): int(r.p90) for r in (await self.session.execute(stmt)).all()}

    async def repeat_callers(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Inbound calls followed by another inbound call from the same number within 7 days,
        and how many numbers that was, per bucket of the first call.

        One pass with ``LEAD()`` over the number's inbound calls (ordered by start), read up to
        7 days past the range so a follow-up after the range still counts.
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
        stmt = select(
            flagged.c.bucket,
            func.count().label("inbound"),
            func.coalesce(func.sum(flagged.c.followed), 0).label("followed_up_calls"),
            func.count(
                func.distinct(case((flagged.c.followed == 1, bytewise(flagged.c.from_number))))
            ).label("repeat_callers"),
        ).group_by(flagged.c.bucket)
        return _by_bucket((await self.session.execute(stmt)).all())

    async def knowledge_gaps(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Unanswered questions recorded per bucket."""
        sub = (
            select(bucket_index(KnowledgeGap.created_at, cuts).label("bucket"))
            .where(
                KnowledgeGap.business_id == self.business_id,
                *self._in_range(KnowledgeGap.created_at, cuts),
            )
            .subquery()
        )
        stmt = select(sub.c.bucket, func.count().label("knowledge_gaps")).group_by(sub.c.bucket)
        return _by_bucket((await self.session.execute(stmt)).all())

    async def top_gaps(
        self, previous: datetime, start: datetime, end: datetime, limit: int
    ) -> list[Row]:
        """The most asked unanswered questions in ``[start, end)`` with their count in the
        period before (``[previous, start)``)."""
        current = KnowledgeGap.created_at >= utc_param(start)
        asked = count_if(current)
        stmt = (
            select(
                KnowledgeGap.normalized_question,
                func.max(KnowledgeGap.question).label("question"),
                asked.label("count"),
                count_if(not_(current)).label("previous"),
            )
            .where(
                KnowledgeGap.business_id == self.business_id,
                KnowledgeGap.created_at >= utc_param(previous),
                KnowledgeGap.created_at < utc_param(end),
            )
            .group_by(KnowledgeGap.normalized_question)
            .having(asked > 0)
            .order_by(asked.desc(), KnowledgeGap.normalized_question)
            .limit(limit)
        )
        return [dict(row._mapping) for row in (await self.session.execute(stmt)).all()]

    async def volume(self, cuts: Sequence[datetime], group_by: str | None) -> list[Row]:
        """Calls per bucket, and per direction or status when ``group_by`` names one."""
        dimension = {"direction": Call.direction, "status": Call.status}.get(group_by or "")
        columns: list[Any] = [bucket_index(Call.started_at, cuts).label("bucket")]
        if dimension is not None:
            columns.append(dimension.label("group"))
        sub = (
            select(*columns)
            .where(Call.business_id == self.business_id, *self._in_range(Call.started_at, cuts))
            .subquery()
        )
        keys = [sub.c.bucket, *([sub.c.group] if dimension is not None else [])]
        stmt = select(*keys, func.count().label("calls")).group_by(*keys)
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]
