"""Request bodies over the limit become a 413 problem, before they are stored anywhere.

A declared Content-Length over the limit is refused before the body is read; a body without one
(chunked) is counted as it arrives and refused the moment it passes the limit, so an oversized
upload is never spooled to disk in full. (FastAPI's own ``max_body_size`` answers in plain text,
outside our problem+json responses, hence this small middleware.)
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicaller.api.problems import problem_response

TOO_LARGE = 413


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to stop the app reading; answered below, never escapes."""


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"The request body is larger than the limit of {self.max_bytes:,} bytes"
        response = problem_response(status=TOO_LARGE, code="payload_too_large", detail=detail)
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if too_large:
                # The app turned the aborted read into its own error (FastAPI: a 400 "error
                # parsing the body"); the client gets the real reason instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(scope, receive, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)
