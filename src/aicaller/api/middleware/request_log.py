"""One log line per request: method, route template, status, duration, user and business."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicaller.api.routes_index import route_template
from aicaller.core.logging import get_logger

logger = get_logger("aicaller.request")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture_status)
        finally:
            route = route_template(scope["app"], scope.get("route"))
            state = scope.get("state", {})
            # The route template (/api/v1/users/{user_id}), never the raw path: ids and phone
            # numbers in paths would otherwise reach the logs and explode metric cardinality.
            logger.info(
                "request",
                method=scope["method"],
                route=route or "<unmatched>",
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                user_id=state.get("user_id"),
                api_key_id=state.get("api_key_id"),
                business_id=state.get("business_id"),
                error_code=state.get("error_code"),
            )
