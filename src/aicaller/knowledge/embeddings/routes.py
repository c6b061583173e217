"""``/api/v1/knowledge/embeddings``: the business's embeddings endpoint (semantic search) and
how far its chunks are embedded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response, status

from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.knowledge.embeddings.schemas import EmbeddingsConfigIn, EmbeddingsStatusOut
from aicaller.knowledge.embeddings.service import EmbeddingService
from aicaller.users.principal import Principal
from aicaller.users.roles import MANAGER_ROLES, Role, Scope

router = APIRouter(
    prefix="/knowledge/embeddings",
    tags=["knowledge"],
    responses=problem_responses(401, 403, 429),
)
Reader = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.KNOWLEDGE_READ)]
Admin = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.CONFIG_WRITE)]


@router.get("", response_model=EmbeddingsStatusOut, summary="The endpoint and indexing status")
async def get_embeddings(
    principal: Reader, session: SessionDep, cache: CacheDep
) -> EmbeddingsStatusOut:
    return await EmbeddingService(session, principal.business_id, cache).status()


@router.put(
    "",
    response_model=EmbeddingsStatusOut,
    summary="Set the OpenAI-compatible embeddings endpoint (checked with one request first)",
    responses=problem_responses(422),
)
async def put_embeddings(
    body: EmbeddingsConfigIn,
    principal: Admin,
    session: SessionDep,
    cache: CacheDep,
    request: Request,
) -> EmbeddingsStatusOut:
    service = EmbeddingService(session, principal.business_id, cache)
    return await service.configure(
        body, http=request.app.state.http, secret_box=request.app.state.secret_box
    )


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove the endpoint and every vector: search is lexical again",
    responses=problem_responses(404),
)
async def delete_embeddings(principal: Admin, session: SessionDep, cache: CacheDep) -> Response:
    await EmbeddingService(session, principal.business_id, cache).remove()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/retry",
    response_model=EmbeddingsStatusOut,
    summary="Embed the chunks still without a vector now (after a failure)",
    responses=problem_responses(404),
)
async def retry_embeddings(
    principal: Admin, session: SessionDep, cache: CacheDep
) -> EmbeddingsStatusOut:
    return await EmbeddingService(session, principal.business_id, cache).retry()
