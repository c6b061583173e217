"""``GET /api/v1/knowledge/gaps``: the questions callers asked that the agent could not answer,
most asked first: what to add to the knowledge base next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from aicaller.api.deps import SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.knowledge.gaps.schemas import KnowledgeGapOut, KnowledgeGaps
from aicaller.knowledge.gaps.service import KnowledgeGapService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, Scope

router = APIRouter(
    prefix="/knowledge", tags=["knowledge"], responses=problem_responses(401, 403, 422, 429)
)
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.KNOWLEDGE_READ)]


@router.get("/gaps", response_model=KnowledgeGaps, summary="Unanswered questions, most asked first")
async def knowledge_gaps(
    principal: Reader,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=366, description="How far back to look")] = 30,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> KnowledgeGaps:
    since = datetime.now(UTC) - timedelta(days=days)
    gaps = await KnowledgeGapService(session, principal.business_id).top(since=since, limit=limit)
    return KnowledgeGaps(since=since, items=[KnowledgeGapOut.model_validate(gap) for gap in gaps])
