"""Queries for knowledge gaps, within one business: the most asked, and a call's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from aicaller.database.models import KnowledgeGap
from aicaller.database.repository import BaseRepository


@dataclass(frozen=True, slots=True)
class GapSummary:
    question: str  # the latest wording of the question
    normalized_question: str
    count: int
    last_asked_at: datetime


class KnowledgeGapRepository(BaseRepository[KnowledgeGap]):
    model = KnowledgeGap

    async def top(self, *, since: datetime | None, limit: int) -> list[GapSummary]:
        conditions = [self._tenant_condition()]
        if since is not None:
            conditions.append(KnowledgeGap.created_at >= since)
        grouped = (
            select(
                KnowledgeGap.normalized_question,
                func.count().label("asked"),
                func.max(KnowledgeGap.created_at).label("last_asked_at"),
                func.max(KnowledgeGap.question).label("question"),
            )
            .where(*conditions)
            .group_by(KnowledgeGap.normalized_question)
            .order_by(func.count().desc(), func.max(KnowledgeGap.created_at).desc())
            .limit(limit)
        )
        rows = (await self.session.execute(grouped)).all()
        return [
            GapSummary(row.question, row.normalized_question, int(row.asked), row.last_asked_at)
            for row in rows
        ]

    async def questions_of(self, call_id: uuid.UUID) -> list[str]:
        stmt = (
            select(KnowledgeGap.question)
            .where(self._tenant_condition(), KnowledgeGap.call_id == call_id)
            .order_by(KnowledgeGap.created_at)
        )
        return list((await self.session.execute(stmt)).scalars())
