"""``/api/v1/api-keys``: create (shown once), list and revoke API keys. People only."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from aicaller.api.deps import CacheDep, PaginationDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.users.principal import Principal
from aicaller.users.roles import Role
from aicaller.users.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from aicaller.users.service import ApiKeyService

router = APIRouter(
    prefix="/api-keys", tags=["api keys"], responses=problem_responses(400, 401, 403, 422, 429)
)

# Keys cannot manage keys: a leaked key must not be able to mint more.
Admin = Annotated[Principal, require_role(Role.ADMIN)]


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key; the key itself is returned only here",
)
async def create_api_key(
    body: ApiKeyCreate, principal: Admin, session: SessionDep
) -> ApiKeyCreated:
    key, plaintext = await ApiKeyService(session, principal.business_id).create(
        body, created_by=principal.user_id
    )
    summary = ApiKeyOut.model_validate(key).model_dump()
    return ApiKeyCreated.model_validate({**summary, "key": plaintext})


@router.get("", response_model=Page[ApiKeyOut], summary="List API keys (never the secrets)")
async def list_api_keys(
    principal: Admin, session: SessionDep, page: PaginationDep
) -> Page[ApiKeyOut]:
    result = await ApiKeyService(session, principal.business_id).list(
        limit=page.limit, cursor=page.cursor
    )
    return Page(
        items=[ApiKeyOut.model_validate(k) for k in result.items], next_cursor=result.next_cursor
    )


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key; it stops working on the next request",
    responses=problem_responses(404),
)
async def revoke_api_key(
    key_id: uuid.UUID, principal: Admin, session: SessionDep, cache: CacheDep
) -> Response:
    await ApiKeyService(session, principal.business_id, cache).revoke(key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
