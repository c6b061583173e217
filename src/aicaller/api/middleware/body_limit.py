"""Request bodies over their limit become a 413 problem, before they are stored or parsed.

A declared Content-Length over the limit is refused before the body is read; a body without one
(chunked) is counted as it arrives and refused the moment it passes the limit, so an oversized
upload is never spooled to disk in full. (FastAPI's own ``max_body_size`` answers in plain text,
outside our problem+json responses, hence these small helpers, used by the request guard.)
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicaller.api.problems import problem_response

TOO_LARGE = 413


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to stop the app reading; answered below, never escapes."""


def too_large(max_bytes: int) -> Response:
    detail = f"The request body is larger than the limit of {max_bytes:,} bytes"
    # The rest of the body is not wanted: closing stops the server receiving it.
    headers = {"Connection": "close"}
    return problem_response(
        status=TOO_LARGE, code="payload_too_large", detail=detail, headers=headers
    )


def declared_length(scope: Scope) -> int | None:
    """The Content-Length the client declared, if it declared a valid one."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def read_body(receive: Receive, max_bytes: int) -> bytes | None:
    """The whole body, or None the moment it passes ``max_bytes`` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body`` (already read), then the client's events."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def call_with_body_limit(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, max_bytes: int
) -> None:
    """Run ``app``, counting the body it reads; past ``max_bytes`` the client gets a 413."""
    received = 0
    started = too_much = False

    async def counting_receive() -> Message:
        nonlocal received, too_much
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                too_much = True
                raise _BodyTooLarge
        return message

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if too_much:
            # The app turned the aborted read into its own error (FastAPI: a 400 "error
            # parsing the body"); the client gets the real reason instead.
            if message["type"] == "http.response.start" and not started:
                started = True
                await too_large(max_bytes)(scope, receive, send)
            return
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, counting_receive, tracking_send)
    except _BodyTooLarge:
        if not started:
            await too_large(max_bytes)(scope, receive, send)
