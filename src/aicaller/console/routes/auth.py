"""Sign in, sign out and the password change: the console's session cookie.

The cookie is HttpOnly, SameSite=Lax, Secure when the console is served over HTTPS, and lives
as long as the access token inside it. Login attempts count against the API's login limits.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse, Response
from pydantic import SecretStr
from pydantic import ValidationError as PydanticError

from aicaller.api.authentication import authenticate
from aicaller.api.deps import HasherDep, SessionDep, TokensDep
from aicaller.api.rate_limits import limit_login, limit_password_check
from aicaller.console import session as cookies
from aicaller.console.deps import ViewerDep, form_of, render
from aicaller.core.errors import AppError, AuthenticationError
from aicaller.core.logging import get_logger
from aicaller.users.auth import AuthService
from aicaller.users.schemas import PasswordChange
from aicaller.users.service import UserService

router = APIRouter()
logger = get_logger(__name__)
MAX_FIELD = 320


def _set_session(request: Request, response: Response, token: str, seconds: int) -> None:
    response.set_cookie(
        cookies.SESSION_COOKIE,
        token,
        max_age=seconds,
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
    )


def _sign_in_page(
    request: Request, *, status_code: int = 200, error: str | None = None, next_url: str = "/app"
) -> Response:
    token = request.cookies.get(cookies.LOGIN_CSRF_COOKIE) or cookies.new_login_csrf()
    expired = request.query_params.get("expired") == "1" and error is None
    response = render(
        request,
        "login.html",
        None,
        status=status_code,
        login_csrf=token,
        error=error or ("Your session has ended; sign in again." if expired else None),
        next_url=cookies.safe_next(next_url),
    )
    response.set_cookie(
        cookies.LOGIN_CSRF_COOKIE,
        token,
        path="/app/login",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    return response


@router.get("/", summary="Sign-in page (the console's home when signed in)")
async def sign_in_page(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(cookies.SESSION_COOKIE)
    if token and not token.startswith("ak_"):
        try:
            await authenticate(request, session, token)
        except AuthenticationError:
            return _sign_in_page(request, next_url=request.query_params.get("next", "/app"))
        return RedirectResponse("/app", status_code=status.HTTP_303_SEE_OTHER)
    return _sign_in_page(request, next_url=request.query_params.get("next", "/app"))


@router.post("/app/login", summary="Sign in")
async def sign_in(
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    tokens: TokensDep,
    email: Annotated[str, Form(max_length=MAX_FIELD)],
    password: Annotated[str, Form(max_length=256)],
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/app",
) -> Response:
    presented = (await form_of(request)).get(cookies.CSRF_FIELD)
    cookie = request.cookies.get(cookies.LOGIN_CSRF_COOKIE)
    if not cookies.login_csrf_matches(cookie, presented if isinstance(presented, str) else None):
        error = "The sign-in form expired; please try again."
        return _sign_in_page(request, status_code=403, error=error, next_url=next_url)
    await limit_login(request, email)
    try:
        issued = await AuthService(session, hasher, tokens).login(email, password)
    except AuthenticationError as exc:
        return _sign_in_page(request, status_code=401, error=exc.message, next_url=next_url)
    response = RedirectResponse(cookies.safe_next(next_url), status_code=303)
    _set_session(request, response, issued.access_token, issued.expires_in)
    response.delete_cookie(cookies.LOGIN_CSRF_COOKIE, path="/app/login")
    return response


@router.post("/app/logout", summary="Sign out")
async def sign_out(viewer: ViewerDep) -> Response:
    # ViewerDep checked the CSRF token: another site cannot sign people out.
    response = RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(cookies.SESSION_COOKIE, path="/")
    return response


@router.get("/app/account", summary="Your account and password change")
async def account(request: Request, viewer: ViewerDep) -> Response:
    return render(request, "account.html", viewer, done=request.query_params.get("done") == "1")


@router.post("/app/account/password", summary="Change your password")
async def change_password(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    hasher: HasherDep,
    tokens: TokensDep,
    current_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
) -> Response:
    await limit_password_check(request, viewer.principal)
    try:
        body = PasswordChange(
            current_password=SecretStr(current_password), new_password=SecretStr(new_password)
        )
    except PydanticError as exc:
        message = "; ".join(str(e["msg"]) for e in exc.errors())
        return render(request, "account.html", viewer, status=422, error=message)
    user_id = viewer.principal.user_id or uuid.UUID(int=0)
    service = UserService(session, viewer.principal.business_id, hasher, request.app.state.cache)
    try:
        user = await service.change_own_password(
            user_id, body.current_password.get_secret_value(), body.new_password.get_secret_value()
        )
    except AppError as exc:  # a wrong current password: shown on the form, nothing changed
        logger.info("console_password_change_refused", code=exc.code, user_id=str(user_id))
        return render(request, "account.html", viewer, status=exc.status, error=exc.message)
    # Every older session (other browsers included) stops working; this one gets a new token.
    token = tokens.issue(user_id=user.id, business_id=user.business_id)
    response = RedirectResponse("/app/account?done=1", status_code=303)
    _set_session(request, response, token, int(tokens.ttl.total_seconds()))
    return response
