"""``GET /api/v1/knowledge/search``: search over everything the agent knows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.knowledge.search.schemas import SearchResponse, SearchResult
from aicaller.knowledge.search.service import SearchService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, Scope

router = APIRouter(
    prefix="/knowledge",
    tags=["knowledge"],
    responses=problem_responses(400, 401, 403, 422, 429),
)
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.KNOWLEDGE_READ)]


async def _search(principal: Reader, session: SessionDep, cache: CacheDep) -> SearchService:
    return SearchService(session, principal.business_id, cache)


@router.get("/search", response_model=SearchResponse, summary="Search the knowledge base")
async def search(
    service: Annotated[SearchService, Depends(_search)],
    q: Annotated[str, Query(min_length=1, max_length=500, description="A question or keywords")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchResponse:
    terms, hits = await service.search(q, limit=limit)
    return SearchResponse(query=q, terms=terms, results=[SearchResult.from_hit(h) for h in hits])
