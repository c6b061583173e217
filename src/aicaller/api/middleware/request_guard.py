"""Everything decided about a request before its body is parsed, cheapest first.

FastAPI reads and parses a route's body before it runs the route's dependencies, so checking
credentials in a dependency lets anonymous clients make the server parse whatever they send.
This middleware finds the route the router will run and, in order:

1. refuses a URL over ``MAX_URL_BYTES`` (414);
2. refuses a declared Content-Length over the route's limit (413): document uploads take
   ``knowledge_max_upload_bytes`` plus multipart framing, every other body ``api_max_body_bytes``;
3. on routes that need a signed-in caller, checks the bearer credential (401) with the same code
   as the ``CurrentPrincipal`` dependency, which then reuses the answer; the body is not read;
4. on routes that take JSON, refuses another media type (415), then reads the body (up to the
   limit) and refuses one that is not UTF-8 or nests too deep (400) before FastAPI parses it.

Other bodies (forms, uploads) are streamed to the route and counted (413 past the limit).
Unmatched paths go on to the router, which answers 404 or 405 without reading a body.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.params import File, Form
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from aicaller.api import deps
from aicaller.api.authentication import authenticate, bearer_credential, remember
from aicaller.api.errors import render_app_error
from aicaller.api.json_body import is_json_media_type, json_body_problem
from aicaller.api.middleware.body_limit import (
    call_with_body_limit,
    declared_length,
    read_body,
    replaying,
    too_large,
)
from aicaller.api.problems import problem_response
from aicaller.api.routes_index import iter_routes, matching_route, route_path
from aicaller.core.errors import AppError
from aicaller.database.session import Database

MAX_URL_BYTES = 8 * 1024
"""Path and query string; longer is a 414 (what common proxies allow by default)."""


class Body(Enum):
    NONE = "none"  # no declared body (the route may still read one itself, e.g. Twilio's form)
    JSON = "json"
    FORM = "form"
    UPLOAD = "upload"


@dataclass(frozen=True, slots=True)
class RoutePolicy:
    authenticated: bool
    body: Body


def _calls(dependant: Dependant) -> bool:
    return dependant.call is deps.current_principal or any(
        _calls(sub) for sub in dependant.dependencies
    )


def _body_kind(dependant: Dependant) -> Body:
    params = list(dependant.body_params)
    pending = list(dependant.dependencies)
    while pending:
        sub = pending.pop()
        params += sub.body_params
        pending += sub.dependencies
    if not params:
        return Body.NONE
    if any(isinstance(param.field_info, File) for param in params):
        return Body.UPLOAD
    if any(isinstance(param.field_info, Form) for param in params):
        return Body.FORM
    return Body.JSON


def _policies(app: FastAPI) -> dict[int, RoutePolicy]:
    policies: dict[int, RoutePolicy] | None = getattr(app.state, "route_policies", None)
    if policies is None:
        policies = {
            id(route): RoutePolicy(_calls(route.dependant), _body_kind(route.dependant))
            for route in (info.route for info in iter_routes(app))
            if isinstance(route, APIRoute)
        }
        app.state.route_policies = policies
    return policies


def _has_body(scope: Scope) -> bool:
    length = declared_length(scope)
    if length is not None:
        return length > 0
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


class RequestGuardMiddleware:
    """Innermost middleware: its database errors reach the unhandled-error middleware."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app: FastAPI = scope["app"]
        info = matching_route(app, scope["method"], route_path(scope))
        policy = _policies(app).get(id(info.route)) if info else None
        if info is not None:
            # The router sets it again; set now, a refusal is logged and counted under its route.
            scope["route"] = info.route
        upload = policy is not None and policy.body is Body.UPLOAD
        limit = self.max_upload_bytes if upload else self.max_body_bytes
        refusal = await self._before_body(scope, policy, limit)
        if refusal is not None and _has_body(scope):
            # Refused before its body was read: the rest would have to be received and thrown
            # away; closing the connection stops it (and a client must re-send it anyway).
            refusal.headers["Connection"] = "close"
        elif refusal is None and policy and policy.body is Body.JSON and _has_body(scope):
            try:
                refusal, receive = await self._read_json(receive, limit)
            except ClientDisconnect:
                return  # gone while sending its body: nobody to answer
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await call_with_body_limit(self.app, scope, receive, send, limit)

    async def _before_body(
        self, scope: Scope, policy: RoutePolicy | None, limit: int
    ) -> Response | None:
        path_bytes = len(scope.get("raw_path") or scope["path"].encode())
        if path_bytes + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            detail = f"The URL is longer than the limit of {MAX_URL_BYTES:,} bytes"
            return problem_response(status=414, code="uri_too_long", detail=detail)
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            return too_large(limit)
        if policy is None:
            return None
        if policy.authenticated and (refusal := await self._authenticate(scope)):
            return refusal
        json_body = policy.body is Body.JSON and _has_body(scope)
        if json_body and not is_json_media_type(_header(scope, b"content-type") or ""):
            detail = "This endpoint takes a JSON body (Content-Type: application/json)"
            return problem_response(status=415, code="unsupported_media_type", detail=detail)
        return None

    async def _read_json(self, receive: Receive, limit: int) -> tuple[Response | None, Receive]:
        """The body read whole and checked; the app then reads it from the returned receive."""
        body = await read_body(receive, limit)
        if body is None:
            return too_large(limit), receive
        if problem := json_body_problem(body):
            refusal = problem_response(
                status=problem.status, code=problem.code, detail=problem.detail
            )
            return refusal, receive
        return None, replaying(body, receive)

    async def _authenticate(self, scope: Scope) -> Response | None:
        request = Request(scope)
        credential = bearer_credential(request.headers.get("authorization"))
        database: Database = request.app.state.database
        try:
            async with database.transaction() as session:
                principal = await authenticate(request, session, credential)
        except AppError as exc:  # 401, 429 from the anonymous rate limit, or 503 (database)
            return await render_app_error(request, exc)
        remember(request, principal)
        return None
