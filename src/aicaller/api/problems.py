"""RFC 9457 problem details: the single shape every error response takes."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from asgi_correlation_id import correlation_id
from fastapi.responses import JSONResponse
from pydantic import BaseModel

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemDetail(BaseModel):
    """Documented in OpenAPI so clients can rely on the shape."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    correlation_id: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem_type(code: str) -> str:
    return f"https://aicaller.dev/problems/{code.replace('_', '-')}"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
        "code": code,
        "correlation_id": correlation_id.get(),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status=status, code=code, detail=detail, errors=errors, title=title),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries declaring problem+json bodies for these statuses."""
    return {
        status: {
            "model": ProblemDetail,
            "content": {PROBLEM_MEDIA_TYPE: {}},
            "description": _phrase(status),
        }
        for status in statuses
    }
