"""Exception handlers: every error becomes an ``application/problem+json`` response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from aicaller.api.problems import problem_response
from aicaller.api.routes_index import allowed_methods, route_path, route_template
from aicaller.core.errors import AppError, DatabaseUnavailable
from aicaller.core.logging import get_logger

logger = get_logger(__name__)
ExcT = TypeVar("ExcT", bound=Exception)

METHOD_NOT_ALLOWED = 405
_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # The submitted input is deliberately left out: it may hold a password or a phone number.
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]


async def handle_app_error(request: Request, exc: AppError) -> JSONResponse:
    request.state.error_code = exc.code  # for the request log line
    if exc.status >= 500:  # noqa: PLR2004 - server-side failures are worth a warning
        logger.warning("request_failed", code=exc.code, detail=exc.message, path=request.url.path)
    # The class title fits only the class's own status (an AppError may override the status).
    title = exc.title if exc.status == type(exc).status else None
    return problem_response(
        status=exc.status,
        code=exc.code,
        detail=exc.message,
        errors=exc.details,
        headers=exc.headers,
        title=title,
    )


async def handle_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    request.state.error_code = "validation_error"
    return problem_response(
        status=422,
        code="validation_error",
        title="Unprocessable Content",
        detail="The request is not valid; see errors",
        errors=_validation_errors(exc),
    )


async def handle_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    headers = dict(exc.headers or {})
    if exc.status_code == METHOD_NOT_ALLOWED:
        # Starlette names the methods of the first route on the path only; FastAPI makes one
        # route per method, so list every route's.
        methods = allowed_methods(request.app, route_path(request.scope))
        headers["Allow"] = ", ".join(sorted(methods))
    return problem_response(
        status=exc.status_code,
        code=_HTTP_CODES.get(exc.status_code, "http_error"),
        detail=str(exc.detail),
        headers=headers,
    )


async def handle_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Services check uniqueness first; this catches the race where two requests insert at once.
    logger.warning("integrity_conflict", path=request.url.path, error=type(exc).__name__)
    return problem_response(
        status=409, code="conflict", detail="The change conflicts with existing data"
    )


async def handle_data_error(request: Request, exc: Exception) -> JSONResponse:
    # A value the database cannot store (out-of-range number, bad encoding) that validation did
    # not catch: the client's input is at fault, so it is a 422, logged so the gap gets closed.
    logger.warning("database_rejected_value", path=request.url.path, error=type(exc).__name__)
    request.state.error_code = "invalid_value"
    return problem_response(
        status=422, code="invalid_value", detail="A value could not be stored; check the input"
    )


async def handle_database_unavailable(request: Request, exc: DatabaseUnavailable) -> JSONResponse:
    # One line per failed request and no traceback: during an outage every request fails the
    # same way, and the cause's class says enough (its message could quote written values).
    cause = exc.__cause__
    logger.warning(
        "database_unavailable",
        method=request.method,
        route=route_template(request.app, request.scope.get("route")),
        cause=type(cause).__name__ if cause is not None else None,
    )
    request.state.error_code = exc.code
    return problem_response(
        status=exc.status, code=exc.code, detail=exc.message, headers=exc.headers
    )


async def render_app_error(request: Request, exc: AppError) -> JSONResponse:
    """What the app's handlers answer ``exc`` with, for middleware that runs before them."""
    if isinstance(exc, DatabaseUnavailable):
        return await handle_database_unavailable(request, exc)
    return await handle_app_error(request, exc)


def _for(
    kind: type[ExcT], handler: Callable[[Request, ExcT], Awaitable[Response]]
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Adapt a handler typed for one exception class to Starlette's ``Exception`` signature."""

    async def handle(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, kind):
            raise exc
        return await handler(request, exc)

    return handle


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _for(AppError, handle_app_error))
    app.add_exception_handler(
        DatabaseUnavailable, _for(DatabaseUnavailable, handle_database_unavailable)
    )
    app.add_exception_handler(
        RequestValidationError, _for(RequestValidationError, handle_validation_error)
    )
    app.add_exception_handler(
        StarletteHTTPException, _for(StarletteHTTPException, handle_http_exception)
    )
    app.add_exception_handler(IntegrityError, handle_integrity_error)
    app.add_exception_handler(DataError, handle_data_error)
