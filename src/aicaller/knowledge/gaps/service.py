"""Knowledge gaps: questions callers asked that the agent could not answer.

Each unanswered question is kept with the call it came from; repeats count together under a
normalised form, so a manager sees which missing answers cost the most calls.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.service import BaseService
from aicaller.knowledge.gaps.repository import GapSummary, KnowledgeGapRepository

MAX_QUESTION = 2000
MAX_NORMALIZED = 500
_FILLER = re.compile(
    r"^(?:(?:um+|uh+|er+|so|well|okay|ok|hi|hello|hey|yes|yeah|and|also|actually|"
    r"can you tell me|could you tell me|i want to know|i would like to know|i'd like to know|"
    r"i was wondering|do you know)\s+)+"
)


def normalize_question(question: str) -> str:
    text = re.sub(r"[^\w\s]", " ", question.lower())
    text = re.sub(r"\s+", " ", text).strip()
    return _FILLER.sub("", text)[:MAX_NORMALIZED] or text[:MAX_NORMALIZED]


class KnowledgeGapService(BaseService):
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        super().__init__(session, business_id)
        self.gaps = KnowledgeGapRepository(session, business_id)

    async def record(self, question: str, *, call_id: uuid.UUID | None) -> None:
        question = question.strip()[:MAX_QUESTION]
        if question:
            await self.gaps.create(
                call_id=call_id,
                question=question,
                normalized_question=normalize_question(question),
            )

    async def top(self, *, since: datetime | None, limit: int) -> list[GapSummary]:
        return await self.gaps.top(since=since, limit=limit)

    async def for_call(self, call_id: uuid.UUID) -> list[str]:
        """The questions a call left unanswered, in order."""
        return await self.gaps.questions_of(call_id)
