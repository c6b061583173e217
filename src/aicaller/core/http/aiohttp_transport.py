"""An httpx transport that sends over aiohttp, for the guarded ``fetch`` of user-supplied URLs.

httpx's own transport (httpcore over anyio) spends several times aiohttp's CPU on each request
(the connection pool re-checks every idle connection's socket per request, and each check goes
through anyio's typed attributes), and a documentation crawl is a few hundred small requests
whose CPU shares one event loop with the pages' writes. httpx stays the client: its custom
transport interface is public, so ``fetch``'s redirects, retries, size cap and headers are
unchanged, and only the wire moves.

The SSRF pinning is kept through aiohttp's public resolver interface: the connector asks
``PinningResolver`` for every new connection (its DNS cache is off), and a guarded request
(``pinned`` in ``transport.py``) gets only the addresses the guard checked; a guarded request
to a host nobody checked is refused before any connect. An IP-literal URL is connected to as
written, which is the address the guard checked.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator
from ipaddress import IPv4Address
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from aicaller.core.errors import UnsafeUrlError
from aicaller.core.http.transport import current_pins

_CHUNK = 64 * 1024


class PinningResolver(AbstractResolver):
    """Pinned hosts resolve to their checked addresses; unpinned (trusted) calls resolve as
    usual."""

    def __init__(self) -> None:
        self._default = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        pins = current_pins()
        if pins is None:
            return await self._default.resolve(host, port, family)
        addresses = pins.get(host)
        if not addresses:
            # A guarded request reaching a host nobody checked is a bug: never connect.
            raise UnsafeUrlError(f"Refusing to connect to unchecked host {host!r}")
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET if isinstance(address, IPv4Address) else socket.AF_INET6,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        await self._default.close()


class _Body(httpx.AsyncByteStream):
    """The response body as aiohttp reads it (still encoded: httpx decodes it)."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "read timed out") from exc
        except aiohttp.ClientPayloadError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(str(exc)) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx requests sent by one aiohttp session (created on first use, inside the loop)."""

    def __init__(
        self, max_connections: int, keepalive_expiry: float | None, *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:  # fmt: skip
        self._max_connections = max_connections
        self._keepalive = keepalive_expiry
        self._ssl = ssl_context or httpx.create_ssl_context()
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._max_connections, use_dns_cache=False, resolver=PinningResolver(),
                ssl=self._ssl, keepalive_timeout=self._keepalive or 5.0,
            )  # fmt: skip
            self._session = aiohttp.ClientSession(
                connector=connector,
                # httpx owns cookies, decoding, redirects and default headers.
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
                trust_env=False,
                timeout=aiohttp.ClientTimeout(total=None),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._open()
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None, connect=timeouts.get("pool"), sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )  # fmt: skip
        try:
            response = await session.request(
                request.method, str(request.url), headers=request.headers.multi_items(),
                data=await request.aread() or None, allow_redirects=False, timeout=timeout,
                compress=None,
            )  # fmt: skip
        except UnsafeUrlError:
            raise
        except aiohttp.ClientConnectorDNSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc) or "connect timed out", request=request) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out", request=request) from exc
        except aiohttp.ServerDisconnectedError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.NetworkError(str(exc), request=request) from exc
        return httpx.Response(
            response.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers],
            stream=_Body(response),
            request=request,
            extensions={"http_version": f"HTTP/{response.version.major}.{response.version.minor}"
                        .encode() if response.version else b"HTTP/1.1"},
        )  # fmt: skip

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
