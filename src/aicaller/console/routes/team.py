"""Team (admins): users and their roles, and API keys (created with scopes and shown once,
revoked), through the same services as ``/api/v1/users`` and ``/api/v1/api-keys``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aicaller.api.deps import CacheDep, HasherDep, SessionDep
from aicaller.console.deps import Viewer, form_of, may, parsed, redirect, render
from aicaller.console.forms import optional
from aicaller.users.roles import Role, Scope
from aicaller.users.routes import api_keys as key_routes
from aicaller.users.routes import users as user_routes
from aicaller.users.schemas import ApiKeyCreate, ApiKeyOut, UserCreate, UserOut, UserUpdate
from aicaller.users.service import ApiKeyService, UserService

router = APIRouter(prefix="/app/team")
TeamReader = Annotated[Viewer, may(user_routes.AdminReader)]
TeamWriter = Annotated[Viewer, may(user_routes.AdminWriter)]
KeyAdmin = Annotated[Viewer, may(key_routes.Admin)]
LISTED = 100


async def _team_page(
    request: Request,
    viewer: Viewer,
    session: SessionDep,
    hasher: HasherDep,
    *,
    new_key: str | None = None,
    status: int = 200,
) -> Response:
    business = viewer.principal.business_id
    users = await UserService(session, business, hasher).list(limit=LISTED, cursor=None)
    keys = await ApiKeyService(session, business).list(limit=LISTED, cursor=None)
    return render(
        request,
        "team.html",
        viewer,
        status=status,
        users=[UserOut.model_validate(user) for user in users.items],
        keys=[ApiKeyOut.model_validate(key) for key in keys.items],
        roles=[role.value for role in Role],
        scopes=[scope.value for scope in Scope],
        new_key=new_key,
    )


@router.get("", summary="Users, roles and API keys")
async def team(
    request: Request, viewer: TeamReader, session: SessionDep, hasher: HasherDep
) -> Response:
    return await _team_page(request, viewer, session, hasher)


@router.post("/users", summary="Add a user")
async def add_user(
    request: Request, viewer: TeamWriter, session: SessionDep, hasher: HasherDep, cache: CacheDep
) -> Response:
    form = await form_of(request)
    fields = {
        "email": optional(form.get("email")),
        "full_name": optional(form.get("full_name")) or "",
        "role": optional(form.get("role")),
        "password": optional(form.get("password")),
    }
    service = UserService(session, viewer.principal.business_id, hasher, cache)
    await service.create(parsed(UserCreate, fields))
    return redirect(request, "/app/team#users")


@router.post("/users/{user_id}", summary="Change a user's role or active state")
async def change_user(
    request: Request,
    user_id: uuid.UUID,
    viewer: TeamWriter,
    session: SessionDep,
    hasher: HasherDep,
    cache: CacheDep,
) -> Response:
    form = await form_of(request)
    fields: dict[str, Any] = {"role": optional(form.get("role"))}
    if (active := optional(form.get("is_active"))) is not None:
        fields["is_active"] = active
    service = UserService(session, viewer.principal.business_id, hasher, cache)
    await service.update(user_id, parsed(UserUpdate, fields))
    return redirect(request, "/app/team#users")


@router.post("/api-keys", summary="Create an API key; it is shown on this page only")
async def create_key(
    request: Request, viewer: KeyAdmin, session: SessionDep, hasher: HasherDep
) -> Response:
    form = await form_of(request)
    fields = {"name": optional(form.get("name")), "scopes": form.getlist("scopes")}
    _key, plaintext = await ApiKeyService(session, viewer.principal.business_id).create(
        parsed(ApiKeyCreate, fields), created_by=viewer.principal.user_id
    )
    return await _team_page(request, viewer, session, hasher, new_key=plaintext, status=201)


@router.post("/api-keys/{key_id}/revoke", summary="Revoke an API key")
async def revoke_key(
    request: Request, key_id: uuid.UUID, viewer: KeyAdmin, session: SessionDep, cache: CacheDep
) -> Response:
    await ApiKeyService(session, viewer.principal.business_id, cache).revoke(key_id)
    return redirect(request, "/app/team#keys")
