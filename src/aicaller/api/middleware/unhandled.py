"""Turns an unexpected exception into a 500 problem, logged whole, never shown to the client."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicaller.api.problems import problem_response
from aicaller.api.routes_index import route_template
from aicaller.core.logging import get_logger

logger = get_logger("aicaller.errors")


class UnhandledErrorMiddleware:
    """Sits inside the correlation-id middleware so even a 500 echoes ``X-Request-ID``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception(
                "unhandled_exception",
                method=scope.get("method"),
                route=route_template(scope["app"], scope.get("route")),
            )
            if response_started:
                raise
            response = problem_response(
                status=500, code="internal_error", detail="An unexpected error occurred"
            )
            await response(scope, receive, send)
