"""Per request: one log line, the HTTP metrics, and the SQL statement count.

Logged: method, route template, status, duration, user, API key, business and error code.
The route template (``/api/v1/users/{user_id}``), never the raw path, is used for both logs and
metric labels: ids and phone numbers in paths would otherwise reach the logs and explode the
metrics' cardinality.
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicaller.api.routes_index import route_template
from aicaller.core import metrics
from aicaller.core.logging import get_logger
from aicaller.core.query_monitor import count_queries

logger = get_logger("aicaller.request")
UNMATCHED = "<unmatched>"


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, *, query_count_header: bool = False) -> None:
        self.app = app
        self.query_count_header = query_count_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        metrics.HTTP_IN_FLIGHT.inc()

        with count_queries() as queries:

            async def observe_start(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    headers = MutableHeaders(scope=message)
                    for name, value in scope.get("state", {}).get("rate_limit_headers", {}).items():
                        headers.setdefault(name, value)
                    if self.query_count_header:
                        # The session commits before the response starts, so this is complete.
                        headers["X-Query-Count"] = str(queries.count)
                await send(message)

            try:
                await self.app(scope, receive, observe_start)
            finally:
                metrics.HTTP_IN_FLIGHT.dec()
                duration = time.perf_counter() - started
                route = route_template(scope["app"], scope.get("route")) or UNMATCHED
                method = scope["method"]
                metrics.HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
                metrics.HTTP_LATENCY.labels(method=method, route=route).observe(duration)
                state = scope.get("state", {})
                logger.info(
                    "request",
                    method=method,
                    route=route,
                    status=status,
                    duration_ms=round(duration * 1000, 2),
                    queries=queries.count,
                    user_id=state.get("user_id"),
                    api_key_id=state.get("api_key_id"),
                    business_id=state.get("business_id"),
                    error_code=state.get("error_code"),
                )
