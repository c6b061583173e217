"""SQL aggregates over QA evaluations of one business's calls.

A call's score is its *effective* evaluation: the latest by a person, else the latest by the AI
(as ``aicaller.qa.service.effective_evaluation`` decides for one call). The database keeps that
evaluation's evaluator, score and automatic fail on the call (migration 0011's triggers), so
the figures, the distribution and the lowest scores read the calls alone; the per-criterion
results are picked from the evaluations with ``ROW_NUMBER()`` in the same order. Calls are
placed in periods by their ``started_at``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.figures import Pass, select_list
from aicaller.analytics.sql import Row, bucket_index, by_bucket, count_if, utc_param
from aicaller.database.models import Call, Evaluation
from aicaller.database.models.qa import EvaluatorKind

SCORE_BINS = 10  # 0-10, 10-20, ... 90-100 (100 falls in the last)


class QaQueries:
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    def _evaluations(
        self, start: datetime, end: datetime, *, effective: bool, results: bool = False
    ) -> Any:
        """Evaluations of calls started in ``[start, end)``; only each call's effective one
        when ``effective``. Columns: call_id, started_at, evaluation columns (``results``, the
        per-criterion JSON, only when asked: without it PostgreSQL reads the covering index
        ``ix_qa_evaluations_analytics`` alone)."""
        rank = (
            func.row_number()
            .over(
                partition_by=Evaluation.call_id,
                order_by=(
                    case((Evaluation.evaluator == EvaluatorKind.HUMAN.value, 0), else_=1),
                    Evaluation.created_at.desc(),
                    Evaluation.id.desc(),
                ),
            )
            .label("rank")
        )
        ranked = select(
            Evaluation.id,
            Evaluation.call_id,
            Evaluation.evaluator,
            Evaluation.score,
            Evaluation.auto_failed,
            *([Evaluation.results] if results else []),
            *([rank] if effective else []),
        ).where(
            Evaluation.business_id == self.business_id,
            # An evaluation is written after its call started: this bounds the scan.
            Evaluation.created_at >= utc_param(start),
        )
        evaluations = ranked.subquery()
        calls = select(Call.id, Call.started_at).where(
            Call.business_id == self.business_id,
            Call.started_at >= utc_param(start),
            Call.started_at < utc_param(end),
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # OFFSET 0 keeps the planner from pulling the calls into a nested loop: it cannot
            # estimate how many rows "rank = 1" keeps (it guesses a few hundred) and would probe
            # the calls' primary key once per evaluation, where one hash join over the period's
            # calls reads less.
            calls = calls.offset(0)
        in_range = calls.subquery()
        stmt: Select[Any] = select(in_range.c.started_at, *evaluations.c).join(
            in_range, in_range.c.id == evaluations.c.call_id
        )
        if effective:
            stmt = stmt.where(evaluations.c.rank == 1)
        return stmt.subquery()

    def _scored_calls(self, start: datetime, end: datetime) -> Any:
        """Calls started in ``[start, end)`` that have an effective evaluation, with it."""
        return (
            select(
                Call.id.label("call_id"),
                Call.started_at,
                Call.qa_evaluator.label("evaluator"),
                Call.qa_score.label("score"),
                Call.qa_auto_failed.label("auto_failed"),
            )
            .where(
                Call.business_id == self.business_id,
                Call.started_at >= utc_param(start),
                Call.started_at < utc_param(end),
                Call.qa_evaluator.is_not(None),
            )
            .subquery()
        )

    async def score_figures(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """The QA pass's figures per bucket (evaluated calls, their mean score, how many failed
        automatically), over the evaluated calls alone: a trend of a QA figure."""
        scored = self._scored_calls(cuts[0], cuts[-1])
        bucketed = select(
            bucket_index(scored.c.started_at, cuts).label("bucket"),
            scored.c.evaluator.label("qa_evaluator"),
            scored.c.score.label("qa_score"),
            scored.c.auto_failed.label("qa_auto_failed"),
        ).subquery()
        stmt = select(bucketed.c.bucket, *select_list(bucketed.c, Pass.QA))
        return by_bucket((await self.session.execute(stmt.group_by(bucketed.c.bucket))).all())

    async def distribution(self, start: datetime, end: datetime) -> list[int]:
        """How many effective scores fall in each tenth of 0-100."""
        score = self._scored_calls(start, end).c.score
        whens = [(score < (i + 1) * 100 / SCORE_BINS, i) for i in range(SCORE_BINS - 1)]
        binned = (
            select(case(*whens, else_=SCORE_BINS - 1).label("bin"))
            .where(score.is_not(None))
            .subquery()
        )
        stmt = select(binned.c.bin, func.count().label("n")).group_by(binned.c.bin)
        counts = [0] * SCORE_BINS
        for row in (await self.session.execute(stmt)).all():
            counts[int(row.bin)] = int(row.n)
        return counts

    async def by_evaluator(self, start: datetime, end: datetime) -> list[Row]:
        """Every evaluation (not only effective ones), by AI or person."""
        every = self._evaluations(start, end, effective=False)
        stmt = (
            select(
                every.c.evaluator,
                func.count().label("evaluations"),
                func.avg(every.c.score).label("avg_score"),
                count_if(every.c.auto_failed.is_(True)).label("auto_failed"),
            )
            .group_by(every.c.evaluator)
            .order_by(every.c.evaluator)
        )
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]

    async def criteria(self, start: datetime, end: datetime) -> list[Row]:
        """Per criterion of the effective evaluations: passes, fails and not-applicables."""
        scored = self._evaluations(start, end, effective=True, results=True)
        dialect = self.session.get_bind().dialect.name
        key: Any
        label: Any
        result: Any
        if dialect == "sqlite":
            item = func.json_each(scored.c.results).table_valued("value").alias("item")
            key = func.json_extract(item.c.value, "$.key")
            label = func.json_extract(item.c.value, "$.label")
            result = func.json_extract(item.c.value, "$.result")
        else:
            item = func.json_array_elements(scored.c.results).table_valued("value").alias("item")
            key = item.c.value.op("->>")("key")
            label = item.c.value.op("->>")("label")
            result = item.c.value.op("->>")("result")
        stmt = (
            select(
                key.label("key"),
                func.max(label).label("label"),
                count_if(result == "pass").label("passed"),
                count_if(result == "fail").label("failed"),
                count_if(result == "na").label("not_applicable"),
            )
            .select_from(scored)
            .join(item, true())
            .group_by(key)
            .order_by(key)
        )
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]

    async def lowest(self, start: datetime, end: datetime, limit: int) -> list[Row]:
        """The calls with the lowest effective scores, lowest first."""
        scored = self._scored_calls(start, end)
        stmt = (
            select(
                scored.c.call_id,
                scored.c.started_at,
                scored.c.score,
                scored.c.evaluator,
                scored.c.auto_failed,
            )
            .where(scored.c.score.is_not(None))
            .order_by(scored.c.score, scored.c.started_at, scored.c.call_id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]
