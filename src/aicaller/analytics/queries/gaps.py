"""SQL aggregates over one business's knowledge gaps (questions the agent could not answer):
how many were recorded per bucket, and the most asked of a period against the period before."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.figures import Pass, select_list
from aicaller.analytics.sql import Row, bucket_index, by_bucket, count_if, in_range, utc_param
from aicaller.database.models import KnowledgeGap


class GapQueries:
    """Every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def knowledge_gaps(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Unanswered questions recorded per bucket (the gaps pass's figures)."""
        sub = (
            select(bucket_index(KnowledgeGap.created_at, cuts).label("bucket"))
            .where(
                KnowledgeGap.business_id == self.business_id,
                *in_range(KnowledgeGap.created_at, cuts),
            )
            .subquery()
        )
        stmt = select(sub.c.bucket, *select_list(sub.c, Pass.GAPS)).group_by(sub.c.bucket)
        return by_bucket((await self.session.execute(stmt)).all())

    async def top(
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
