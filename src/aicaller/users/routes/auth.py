"""``POST /api/v1/auth/token``: OAuth2 password login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from aicaller.api.deps import HasherDep, SessionDep, TokensDep
from aicaller.api.problems import problem_responses
from aicaller.api.rate_limits import limit_login
from aicaller.users.auth import AuthService
from aicaller.users.schemas import TokenResponse

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Exchange email and password for an access token",
    responses=problem_responses(400, 401, 422, 429),
)
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    hasher: HasherDep,
    tokens: TokensDep,
) -> TokenResponse:
    await limit_login(request, form.username)
    issued = await AuthService(session, hasher, tokens).login(form.username, form.password)
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)
