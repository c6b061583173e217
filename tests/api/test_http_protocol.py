"""A request the HTTP server cannot parse is answered with a problem document too.

uvicorn refuses a request line past its parser's limit (about 64 KiB) before the app sees it;
``aicaller serve`` runs it with ``ProblemHttpToolsProtocol`` so that refusal is
``application/problem+json`` like every other. Checked against a real uvicorn server.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn

from aicaller.api.http_protocol import ProblemHttpToolsProtocol
from aicaller.api.problems import PROBLEM_MEDIA_TYPE


async def _app(scope: dict[str, object], receive: object, send: object) -> None:
    raise AssertionError("an unparsable request must not reach the application")


@pytest.fixture
async def server_port() -> AsyncIterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    config = uvicorn.Config(
        _app, host="127.0.0.1", port=port, http=ProblemHttpToolsProtocol, lifespan="off",
        log_config=None,
    )  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started:
            break
        await asyncio.sleep(0.01)
    assert server.started
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def _raw_request(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read()  # the server closes the connection after its 400
    writer.close()
    return answer


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",  # a 100 KB URL
        b"NOT HTTP AT ALL\r\n\r\n",
    ],
    ids=["100 KB URL", "garbage"],
)
async def test_an_unparsable_request_is_a_problem_400(
    server_port: int, request_bytes: bytes
) -> None:
    answer = await _raw_request(server_port, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 400 Bad Request"
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["status"] == 400
    assert problem["code"] == "bad_request"
    assert int(headers["content-length"]) == len(body)
