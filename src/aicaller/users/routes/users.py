"""``/api/v1/users``: the signed-in user, and user management for admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.deps import (
    CacheDep,
    HasherDep,
    PaginationDep,
    SessionDep,
    TokensDep,
    require_role,
)
from aicaller.api.problems import problem_responses
from aicaller.api.rate_limits import limit_password_check
from aicaller.api.schemas import Page
from aicaller.core.cache import AppCache
from aicaller.core.security import PasswordHasher
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, Role, Scope
from aicaller.users.schemas import PasswordChange, TokenResponse, UserCreate, UserOut, UserUpdate
from aicaller.users.service import UserService

router = APIRouter(
    prefix="/users", tags=["users"], responses=problem_responses(400, 401, 403, 422, 429)
)


@dataclass(frozen=True, slots=True)
class _UserServices:
    session: AsyncSession
    hasher: PasswordHasher
    cache: AppCache

    def of(self, principal: Principal) -> UserService:
        return UserService(self.session, principal.business_id, self.hasher, self.cache)


async def _user_services(session: SessionDep, hasher: HasherDep, cache: CacheDep) -> _UserServices:
    return _UserServices(session, hasher, cache)


Users = Annotated[_UserServices, Depends(_user_services)]
AnyUser = Annotated[Principal, require_role(*ALL_ROLES)]
AdminReader = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.USERS_READ)]
AdminWriter = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.USERS_WRITE)]


@router.get("/me", response_model=UserOut, summary="The signed-in user")
async def me(
    principal: AnyUser,
    users: Users,
) -> UserOut:
    # require_role(scope=None) refuses API keys, so a user id is always present here.
    user_id = principal.user_id or uuid.UUID(int=0)
    user = await users.of(principal).get(user_id)
    return UserOut.model_validate(user)


@router.post(
    "/me/password",
    response_model=TokenResponse,
    summary="Change your own password; returns a fresh token (older ones stop working)",
    responses=problem_responses(400),
)
async def change_my_password(
    request: Request,
    body: PasswordChange,
    principal: AnyUser,
    users: Users,
    tokens: TokensDep,
) -> TokenResponse:
    await limit_password_check(request, principal)
    user_id = principal.user_id or uuid.UUID(int=0)
    user = await users.of(principal).change_own_password(
        user_id, body.current_password.get_secret_value(), body.new_password.get_secret_value()
    )
    token = tokens.issue(user_id=user.id, business_id=user.business_id)
    return TokenResponse(access_token=token, expires_in=int(tokens.ttl.total_seconds()))


@router.get("", response_model=Page[UserOut], summary="List the business's users")
async def list_users(
    principal: AdminReader,
    users: Users,
    page: PaginationDep,
    role: Annotated[Role | None, Query()] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[UserOut]:
    service = users.of(principal)
    result = await service.list(
        limit=page.limit, cursor=page.cursor, role=role, is_active=is_active
    )
    return Page(
        items=[UserOut.model_validate(u) for u in result.items], next_cursor=result.next_cursor
    )


@router.post(
    "",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses=problem_responses(409),
)
async def create_user(body: UserCreate, principal: AdminWriter, users: Users) -> UserOut:
    user = await users.of(principal).create(body)
    return UserOut.model_validate(user)


@router.get(
    "/{user_id}", response_model=UserOut, summary="One user", responses=problem_responses(404)
)
async def get_user(user_id: uuid.UUID, principal: AdminReader, users: Users) -> UserOut:
    user = await users.of(principal).get(user_id)
    return UserOut.model_validate(user)


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    summary="Change a user's name, role, password or active state",
    responses=problem_responses(404, 409),
)
async def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    principal: AdminWriter,
    users: Users,
) -> UserOut:
    user = await users.of(principal).update(user_id, body)
    return UserOut.model_validate(user)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Deactivate a user (their history is kept)",
    responses=problem_responses(404, 409),
)
async def deactivate_user(user_id: uuid.UUID, principal: AdminWriter, users: Users) -> Response:
    await users.of(principal).deactivate(user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
