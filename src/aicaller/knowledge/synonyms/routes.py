"""``/api/v1/knowledge/synonyms``: a business's own synonym groups for search."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from aicaller.api.deps import CacheDep, PaginationDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.knowledge.synonyms.schemas import SynonymCreate, SynonymOut
from aicaller.knowledge.synonyms.service import SynonymService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, Scope

router = APIRouter(
    prefix="/knowledge/synonyms",
    tags=["knowledge"],
    responses=problem_responses(401, 403, 422, 429),
)
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.KNOWLEDGE_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.KNOWLEDGE_WRITE)]


async def _reading(principal: Reader, session: SessionDep, cache: CacheDep) -> SynonymService:
    return SynonymService(session, principal.business_id, cache)


async def _writing(principal: Writer, session: SessionDep, cache: CacheDep) -> SynonymService:
    return SynonymService(session, principal.business_id, cache)


Reading = Annotated[SynonymService, Depends(_reading)]
Writing = Annotated[SynonymService, Depends(_writing)]


@router.post(
    "",
    response_model=SynonymOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a group of words callers use for the same thing",
)
async def create_synonym(body: SynonymCreate, synonyms: Writing) -> SynonymOut:
    return SynonymOut.model_validate(await synonyms.create(body.words))


@router.get("", response_model=Page[SynonymOut], summary="Synonym groups, newest first")
async def list_synonyms(synonyms: Reading, page: PaginationDep) -> Page[SynonymOut]:
    result = await synonyms.page(limit=page.limit, cursor=page.cursor)
    items = [SynonymOut.model_validate(synonym) for synonym in result.items]
    return Page(items=items, next_cursor=result.next_cursor)


@router.delete(
    "/{synonym_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a synonym group",
    responses=problem_responses(404),
)
async def delete_synonym(synonym_id: uuid.UUID, synonyms: Writing) -> Response:
    await synonyms.delete(synonym_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
