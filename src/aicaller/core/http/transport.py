"""Connect to the addresses the SSRF guard checked, not to whatever DNS says next.

URLs keep their hostnames, so the Host header, TLS SNI and certificate verification work as
usual and the connection pool is keyed by hostname. Only the socket connect is redirected: a
guarded request pins ``host -> checked addresses`` in a context variable, and the network
backend connects to those addresses instead of resolving the host again.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

from aicaller.core.errors import UnsafeUrlError
from aicaller.core.http.addresses import IPAddress
from aicaller.core.http.ssrf import ValidatedUrl
from aicaller.core.logging import get_logger

logger = get_logger(__name__)

# Per task: asyncio copies the context into each task, so concurrent fetches never share pins.
_PINS: ContextVar[Mapping[str, tuple[IPAddress, ...]] | None] = ContextVar(
    "aicaller_http_pins", default=None
)


def current_pins() -> Mapping[str, tuple[IPAddress, ...]] | None:
    """The pins of the request running in this task (None: a trusted, unguarded call)."""
    return _PINS.get()


@contextmanager
def pinned(target: ValidatedUrl) -> Iterator[None]:
    """Within this block, connections to ``target.host`` go only to its checked addresses."""
    token = _PINS.set({target.host: target.addresses})
    try:
        yield
    finally:
        _PINS.reset(token)


class PinningNetworkBackend(httpcore.AsyncNetworkBackend):
    """Routes pinned hosts to their checked addresses; unpinned (trusted) calls pass through."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pins = _PINS.get()
        if pins is None:
            return await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = pins.get(host)
        if not addresses:
            # A guarded request reaching a host nobody checked is a bug: never connect.
            raise UnsafeUrlError(f"Refusing to connect to unchecked host {host!r}")
        errors: list[Exception] = []
        for address in addresses:  # like happy eyeballs, minus the racing: next on failure
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                logger.info("http_connect_failed", host=host, address=str(address), error=str(exc))
                errors.append(exc)
        raise errors[-1]

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if _PINS.get() is not None:
            raise UnsafeUrlError("Guarded requests never use Unix sockets")
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinningTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the pinning backend underneath its connection pool."""

    def __init__(
        self,
        *,
        limits: httpx.Limits,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        context = ssl_context or httpx.create_ssl_context()
        super().__init__(verify=context, limits=limits)
        # httpx offers no parameter for the network backend, so the pool it built is replaced
        # by an identical one that has it (httpx pins httpcore ~1.0, whose API this uses).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinningNetworkBackend(network_backend),
        )
