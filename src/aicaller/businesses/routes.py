"""``GET/PATCH /api/v1/config``: the business configuration the agent runs on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from aicaller.api.deps import CacheDep, SessionDep, SettingsDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.businesses.schemas import BusinessConfig, BusinessConfigUpdate
from aicaller.businesses.service import BusinessService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, Role, Scope

router = APIRouter(
    prefix="/config", tags=["config"], responses=problem_responses(400, 401, 403, 429)
)

Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.CONFIG_READ)]
Writer = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.CONFIG_WRITE)]


@router.get("", response_model=BusinessConfig, summary="The business configuration")
async def get_config(principal: Reader, session: SessionDep, cache: CacheDep) -> BusinessConfig:
    return await BusinessService(session, principal.business_id, cache).get_config()


@router.patch(
    "",
    response_model=BusinessConfig,
    summary="Change part of the business configuration",
    responses=problem_responses(409, 422),
)
async def update_config(
    body: BusinessConfigUpdate,
    principal: Writer,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    request: Request,
) -> BusinessConfig:
    return await BusinessService(session, principal.business_id, cache).update_config(
        body, secret_box=request.app.state.secret_box, llm_available=settings.llm_configured
    )
