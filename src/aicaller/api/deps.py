"""Typed dependencies shared by every router: session, principal, roles, pagination."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.authentication import authenticate, remembered
from aicaller.api.rate_limits import limit_principal
from aicaller.config import Settings
from aicaller.core.cache import AppCache
from aicaller.core.errors import PermissionDenied
from aicaller.core.security import PasswordHasher, TokenCodec
from aicaller.database.session import Database
from aicaller.users.principal import Principal
from aicaller.users.roles import Role, Scope

AUTHZ_MARKER = "__aicaller_authorization__"


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    async with database.transaction() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit becomes
# an error response instead of a 200 for a change that was lost.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]

# Dependencies below are ``async def`` although they do not await: FastAPI runs plain ``def``
# dependencies in a thread pool, a hop per dependency per request for no benefit.


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _hasher(request: Request) -> PasswordHasher:
    hasher: PasswordHasher = request.app.state.password_hasher
    return hasher


async def _tokens(request: Request) -> TokenCodec:
    tokens: TokenCodec = request.app.state.token_codec
    return tokens


async def _cache(request: Request) -> AppCache:
    cache: AppCache = request.app.state.cache
    return cache


SettingsDep = Annotated[Settings, Depends(_settings)]
CacheDep = Annotated[AppCache, Depends(_cache)]
HasherDep = Annotated[PasswordHasher, Depends(_hasher)]
TokensDep = Annotated[TokenCodec, Depends(_tokens)]

_bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="A JWT from /api/v1/auth/token, or an API key (ak_...).",
)


async def current_principal(
    request: Request,
    session: SessionDep,
    credential: Annotated[str | None, Depends(_bearer)],
) -> Principal:
    # The request guard authenticated the request before its body was read; without the guard
    # (an app assembled differently) the same check runs here.
    principal = remembered(request) or await authenticate(request, session, credential)
    await limit_principal(request, principal)
    # For the request log line; scope state outlives this dependency.
    request.state.business_id = str(principal.business_id)
    request.state.user_id = str(principal.user_id) if principal.user_id else None
    request.state.api_key_id = str(principal.api_key_id) if principal.api_key_id else None
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role, scope: Scope | None = None) -> Any:
    """Allow users with one of ``roles`` and API keys holding ``scope``; deny everything else.

    ``scope=None`` means the route is for people only: API keys are refused.
    """
    allowed = frozenset(roles)

    async def authorize(principal: CurrentPrincipal) -> Principal:
        if principal.is_api_key:
            if scope is None or scope not in principal.scopes:
                raise PermissionDenied(
                    "This API key does not have the required scope",
                    code="insufficient_scope",
                )
        elif principal.role not in allowed:
            raise PermissionDenied("Your role does not allow this action", code="forbidden_role")
        return principal

    setattr(authorize, AUTHZ_MARKER, (allowed, scope))
    return Depends(authorize)


@dataclass(frozen=True, slots=True)
class Pagination:
    limit: int
    cursor: str | None


async def _pagination(
    limit: Annotated[int, Query(ge=1, le=100, description="Page size")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="next_cursor of the previous page")
    ] = None,
) -> Pagination:
    return Pagination(limit=limit, cursor=cursor)


PaginationDep = Annotated[Pagination, Depends(_pagination)]
