"""A TCP proxy a test controls, to fault a real Redis or PostgreSQL without touching the server.

``pause()`` stops forwarding in both directions while connections stay open (what clients see
of a process stopped with SIGSTOP: connects hang, bytes go unanswered); ``drop()`` resets every
open connection; ``refuse()`` resets new connections as they arrive (a server that is down);
``resume()`` undoes all of it. The benchmarks run it too (``benchmarks/faults.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

CHUNK = 64 * 1024


class TcpProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to ``upstream_host:upstream_port``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.connections = 0  # accepted so far, refused ones included
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def for_url(cls, url: str) -> TcpProxy:
        """A proxy to the host and port of a ``redis://`` or ``postgresql+asyncpg://`` URL."""
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or _default_port(parts.scheme))

    def url(self, original: str) -> str:
        """``original`` with its host and port replaced by the proxy's."""
        parts = urlsplit(original)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self._flowing.set()
        if self._server is not None:
            self._server.close()
        self._reset_all()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def pause(self) -> None:
        """Stop forwarding; connections stay open and new ones wait (a SIGSTOPped server)."""
        self._flowing.clear()

    def refuse(self) -> None:
        """Reset every connection that arrives from now on (a server that is down)."""
        self._refusing = True

    def drop(self) -> None:
        """Reset every open connection now."""
        self._reset_all()

    def resume(self) -> None:
        """Forward again and accept new connections."""
        self._refusing = False
        self._flowing.set()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self._refusing:
            _reset(writer)
            return
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        upstream_writer: asyncio.StreamWriter | None = None
        try:
            await self._flowing.wait()
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
            self._writers.add(upstream_writer)
            await asyncio.gather(
                self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
            )
        except (OSError, asyncio.IncompleteReadError):
            return  # one side went away (or drop() reset it): the other is closed below
        finally:
            self._tasks.discard(task)
            for side in (writer, upstream_writer):
                if side is not None:
                    self._writers.discard(side)
                    _reset(side)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await self._flowing.wait()
            data = await reader.read(CHUNK)
            if not data:
                raise ConnectionResetError("peer closed")
            await self._flowing.wait()  # bytes read just before a pause are held, not sent
            writer.write(data)
            await writer.drain()

    def _reset_all(self) -> None:
        for writer in list(self._writers):
            _reset(writer)
        self._writers.clear()


def _reset(writer: asyncio.StreamWriter) -> None:
    # SO_LINGER 0: close with a RST, as a crashed or restarted server's kernel would.
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _default_port(scheme: str) -> int:
    return 6379 if scheme.startswith("redis") else 5432


@asynccontextmanager
async def proxy_to(url: str) -> AsyncIterator[TcpProxy]:
    """A started proxy in front of the server of ``url``; closed afterwards."""
    proxy = TcpProxy.for_url(url)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()
