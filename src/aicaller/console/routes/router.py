"""The console mounted on the app: its pages, its static files and its error pages.

Errors on console paths are pages (or, for htmx requests, a message swapped into the page's
flash area) instead of the API's problem+json; everywhere else the API's handlers answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from aicaller.api.routes_index import allowed_methods, route_path
from aicaller.console.deps import SignInRequired, is_htmx, render
from aicaller.console.routes import (
    auth,
    call_changes,
    calls,
    escalations,
    exports,
    knowledge,
    knowledge_sources,
    live,
    overview,
    settings,
    team,
    test_call,
)
from aicaller.core.errors import AppError

METHOD_NOT_ALLOWED = 405
STATIC_PATH = "/app/static"
STATIC_DIR = Path(__file__).parent.parent / "static"

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(calls.router)
router.include_router(call_changes.router)
router.include_router(escalations.router)
router.include_router(knowledge.router)
router.include_router(knowledge_sources.router)
router.include_router(live.router)
router.include_router(overview.router)
router.include_router(settings.router)
router.include_router(team.router)
router.include_router(exports.router)
router.include_router(test_call.router)


def is_console_path(path: str) -> bool:
    return path in {"/", "/app"} or path.startswith("/app/")


def _error_page(request: Request, status: int, message: str, headers: dict[str, str]) -> Response:
    if is_htmx(request):
        headers = {**headers, "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return render(request, "_flash.html", None, status=status, headers=headers, error=message)
    return render(
        request, "error.html", None, status=status, headers=headers, message=message, code=status
    )


def _sign_in(request: Request, exc: SignInRequired) -> Response:
    target = request.url.path if request.method == "GET" else "/app"
    url = f"/?next={quote(target)}" + ("&expired=1" if exc.expired else "")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def install(app: FastAPI) -> None:
    """Mount the console and make its errors pages; call after the API's error handlers."""
    app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="console-static")
    api_handlers: dict[Any, Any] = dict(app.exception_handlers)

    async def app_error(request: Request, exc: Exception) -> Response:
        if not is_console_path(request.url.path):
            return await api_handlers[type_of(exc)](request, exc)  # type: ignore[no-any-return]
        if isinstance(exc, SignInRequired):
            return _sign_in(request, exc)
        if isinstance(exc, AppError):
            request.state.error_code = exc.code
            return _error_page(request, exc.status, exc.message, exc.headers)
        if isinstance(exc, RequestValidationError):
            request.state.error_code = "validation_error"
            fields = "; ".join(
                f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
                for e in exc.errors()
            )
            return _error_page(request, 422, f"Some values are not valid. {fields}", {})
        if not isinstance(exc, StarletteHTTPException):
            raise exc
        headers = dict(exc.headers or {})
        if exc.status_code == METHOD_NOT_ALLOWED:  # every route's methods, as the API lists them
            static = request.url.path.startswith(f"{STATIC_PATH}/")
            methods = {"GET", "HEAD"} if static else allowed_methods(app, route_path(request.scope))
            headers["Allow"] = ", ".join(sorted(methods))
        return _error_page(request, exc.status_code, str(exc.detail), headers)

    def type_of(exc: Exception) -> type[Exception]:
        for kind in type(exc).__mro__:
            if kind in api_handlers:
                return kind
        return type(exc)

    for kind in (AppError, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(kind, app_error)
