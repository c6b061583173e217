"""SQL aggregates over one business's knowledge gaps (questions the agent could not answer):
how many were recorded per bucket, and the most asked of a period against the period before."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.figures import Pass, select_list
from aicaller.analytics.shapes import BUSINESS, Shape, business, instant, number
from aicaller.analytics.sql import Row, by_bucket, count_if
from aicaller.database.models import KnowledgeGap


class GapQueries:
    """Every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def knowledge_gaps(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Unanswered questions recorded per bucket (the gaps pass's figures)."""
        shape = Shape.of(cuts)
        params = {BUSINESS: self.business_id, **shape.params(cuts)}
        return by_bucket((await self.session.execute(_per_bucket_statement(shape), params)).all())

    async def top(
        self, previous: datetime, start: datetime, end: datetime, limit: int
    ) -> list[Row]:
        """The most asked unanswered questions in ``[start, end)`` with their count in the
        period before (``[previous, start)``)."""
        params = {"previous": previous, "start": start, "end": end, "limit": limit}
        rows = await self.session.execute(_top_statement(), {BUSINESS: self.business_id, **params})
        return [dict(row._mapping) for row in rows.all()]


@functools.lru_cache(maxsize=64)
def _per_bucket_statement(shape: Shape) -> Any:
    sub = (
        select(shape.bucket(KnowledgeGap.created_at).label("bucket"))
        .where(KnowledgeGap.business_id == business(), *shape.in_range(KnowledgeGap.created_at))
        .subquery()
    )
    return select(sub.c.bucket, *select_list(sub.c, Pass.GAPS)).group_by(sub.c.bucket)


@functools.cache
def _top_statement() -> Any:
    current = KnowledgeGap.created_at >= instant("start")
    asked = count_if(current)
    return (
        select(
            KnowledgeGap.normalized_question,
            func.max(KnowledgeGap.question).label("question"),
            asked.label("count"),
            count_if(not_(current)).label("previous"),
        )
        .where(
            KnowledgeGap.business_id == business(),
            KnowledgeGap.created_at >= instant("previous"),
            KnowledgeGap.created_at < instant("end"),
        )
        .group_by(KnowledgeGap.normalized_question)
        .having(asked > 0)
        .order_by(asked.desc(), KnowledgeGap.normalized_question)
        .limit(number("limit"))
    )
