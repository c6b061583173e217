"""Peers for the HTTP client tests: a scripted local server and a scripted "internet".

``LocalPeer`` is a real HTTP/1.1 server on 127.0.0.1 (asyncio streams, one request per
connection) that records every connection and request. ``ScriptedNetwork`` is an httpcore
network backend that records every connect and answers connections to chosen (public) IPs with
canned bytes, so tests can stand in for public hosts without touching the internet; any other
address goes to a real socket.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

import httpcore

from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from aicaller.core.http.addresses import IPAddress

_CHUNK = b"x" * 65536


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False  # close the connection without answering
    endless: bool = False  # stream a body with no length until the client hangs up
    delay: float = 0.0  # wait before answering (timeouts)
    # With ``until``: answer as soon as it is set, waiting at most ``delay`` (ordering tests
    # that must not depend on how fast the machine is).
    until: asyncio.Event | None = None


@dataclass(frozen=True)
class Seen:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class LocalPeer:
    """Each path answers with its queued replies in order; the last one repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def reset(self) -> None:
        """Forget what earlier tests asked and said, and stop answering them."""
        for task in self._handlers:
            task.cancel()
        self.routes.clear()
        self.requests.clear()
        self.connections = 0

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        # Python 3.11's wait_closed() does not wait for handlers: stop slow ones ourselves.
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, target, _version = request_line.split(" ", 2)
            headers = {
                k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in lines if h)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Seen(method, target, headers, body))
            await self._answer(writer, self._next_reply(target.split("?", 1)[0]))
        except (ConnectionError, asyncio.IncompleteReadError):
            return  # the client hung up: exactly what the size-cap tests provoke
        finally:
            writer.close()
            self._handlers.discard(task)

    def _next_reply(self, path: str) -> Reply:
        replies = self.routes.get(path)
        if not replies:
            return Reply(404, body=b"no such route")
        return replies.pop(0) if len(replies) > 1 else replies[0]

    @staticmethod
    async def _answer(writer: asyncio.StreamWriter, reply: Reply) -> None:
        if reply.until is None:
            await asyncio.sleep(reply.delay)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reply.until.wait(), reply.delay)
        if reply.drop:
            return
        length = "" if reply.endless else f"Content-Length: {len(reply.body)}\r\n"
        extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
        writer.write(
            f"HTTP/1.1 {reply.status} Peer\r\n{length}{extra}Connection: close\r\n\r\n".encode()
        )
        writer.write(reply.body)
        await writer.drain()
        for _ in range(1024 if reply.endless else 0):  # at most 64 MiB, so a bug cannot hang
            writer.write(_CHUNK)
            await writer.drain()


def http_response(
    status: int = 200, headers: Mapping[str, str] | None = None, body: bytes = b""
) -> list[bytes]:
    """Raw HTTP/1.1 response bytes for ``ScriptedNetwork``."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = f"HTTP/1.1 {status} Scripted\r\nContent-Length: {len(body)}\r\n{extra}"
    head += "Connection: close\r\n\r\n"
    return [head.encode(), body]


class _Stream(httpcore.AsyncMockStream):
    def __init__(self, buffer: list[bytes], network: ScriptedNetwork) -> None:
        super().__init__(list(buffer))
        self._network = network

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        self._network.tls_names.append(kwargs.get("server_hostname"))
        return self


class ScriptedNetwork(httpcore.AsyncNetworkBackend):
    """Records every connect; scripted IPs get canned bytes, others reach real sockets."""

    def __init__(
        self,
        answers: Mapping[str, list[bytes]] | None = None,
        *,
        default: list[bytes] | None = None,
    ) -> None:
        self.answers = dict(answers or {})
        self.default = default
        self.connects: list[tuple[str, int]] = []
        self.tls_names: list[str | None] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        answer = self.answers.get(host, self.default)
        if answer is not None:
            return _Stream(answer, self)
        return await self._real.connect_tcp(host, port, timeout, local_address, socket_options)


class FakeDns:
    """An injectable resolver: each name answers its queued results in order, the last repeats."""

    def __init__(self, table: Mapping[str, list[list[IPAddress]]]) -> None:
        self.table = {name: list(answers) for name, answers in table.items()}
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.calls.append(host)
        answers = self.table.get(host)
        if not answers:
            raise OSError(f"NXDOMAIN {host}")
        return answers.pop(0) if len(answers) > 1 else answers[0]


class SleepRecorder:
    """Stands in for asyncio.sleep: records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def http_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"environment": "test"}
    values.update(overrides)
    return Settings.model_validate(values)


def make_client(
    *,
    sleep: SleepRecorder | None = None,
    resolver: FakeDns | None = None,
    network: ScriptedNetwork | None = None,
    **settings: object,
) -> SafeHttpClient:
    return SafeHttpClient.from_settings(
        http_settings(**settings),
        resolver=resolver,
        network_backend=network,
        sleep=sleep or SleepRecorder(),
    )
