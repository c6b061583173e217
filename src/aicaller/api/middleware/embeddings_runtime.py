"""Binds the app's embeddings runtime to every request and socket the app serves.

A process may run several apps (the test suite runs one per database, the CLI may start one
beside a server); each request must search with the runtime of the app that serves it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from aicaller.knowledge.embeddings import runtime


class EmbeddingsRuntimeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # Starlette puts the application itself in the scope; its lifespan set the runtime.
        installed = getattr(scope["app"].state, "embeddings", None)
        with runtime.bind(installed):
            await self.app(scope, receive, send)
