"""The app's routes with their full path templates.

Since FastAPI 0.137 ``include_router`` nests routers lazily, so ``scope["route"].path`` is the
path *inside* its router (``/token``, not ``/api/v1/auth/token``). ``iter_route_contexts`` is
FastAPI's own way to see every route with its effective full path; we index it once per app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import Scope


@dataclass(frozen=True, slots=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    route: BaseRoute


def iter_routes(app: FastAPI) -> Iterator[RouteInfo]:
    for context in iter_route_contexts(app.routes):
        path = context.path_format or context.path
        if path is None:
            continue
        yield RouteInfo(
            path=path, methods=frozenset(context.methods or ()), route=context.original_route
        )


def iter_api_routes(app: FastAPI) -> Iterator[tuple[RouteInfo, APIRoute]]:
    for info in iter_routes(app):
        if isinstance(info.route, APIRoute):
            yield info, info.route


def route_template(app: FastAPI, route: BaseRoute | None) -> str | None:
    """The full path template of a matched route (``None`` when nothing matched)."""
    if route is None:
        return None
    index: dict[int, str] | None = getattr(app.state, "route_templates", None)
    if index is None:
        index = {id(info.route): info.path for info in iter_routes(app)}
        app.state.route_templates = index
    return index.get(id(route), getattr(route, "path", None))


def _compiled(app: FastAPI) -> list[tuple[re.Pattern[str], RouteInfo]]:
    compiled: list[tuple[re.Pattern[str], RouteInfo]] | None = getattr(
        app.state, "compiled_routes", None
    )
    if compiled is None:
        compiled = [(compile_path(info.path)[0], info) for info in iter_routes(app)]
        app.state.compiled_routes = compiled
    return compiled


def route_path(scope: Scope) -> str:
    """The path the router matches: the request path without the app's ``root_path``."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] == "/":
        return path[len(root) :]
    return path


def matching_route(app: FastAPI, method: str, path: str) -> RouteInfo | None:
    """The route the router will run for ``method`` and ``path`` (the first that takes both)."""
    for regex, info in _compiled(app):
        if method in info.methods and regex.match(path):
            return info
    return None


def allowed_methods(app: FastAPI, path: str) -> frozenset[str]:
    """Every method some route takes on ``path`` (a 405's ``Allow``)."""
    return frozenset(
        method for regex, info in _compiled(app) if regex.match(path) for method in info.methods
    )
