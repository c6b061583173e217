"""The request guard's answers, added to the OpenAPI schema of every operation that takes a body.

The guard answers before any route runs, so no route declares these; they are added to the
generated schema once (FastAPI's documented way to extend it: wrap ``app.openapi``).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from aicaller.api.problems import PROBLEM_MEDIA_TYPE

_PROBLEM = {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
_JSON_REFUSALS = (400, 413, 415)  # not UTF-8 / too deep, too large, not JSON
_OTHER_REFUSALS = (413,)


def _add_refusals(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if not content:
                continue
            statuses = _JSON_REFUSALS if "application/json" in content else _OTHER_REFUSALS
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(
                    str(status),
                    {
                        "description": HTTPStatus(status).phrase,
                        "content": {PROBLEM_MEDIA_TYPE: _PROBLEM},
                    },
                )


def document_request_refusals(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_refusals(generate())  # FastAPI caches the schema it returns in openapi_schema
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]
