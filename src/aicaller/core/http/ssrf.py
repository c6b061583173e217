"""The SSRF guard: which user-supplied URLs may be fetched, and at which checked addresses.

A URL passes when its scheme is http(s), it carries no credentials, its host is spelled
plainly, and every address the host resolves to is public (see ``addresses``). The checked
addresses travel with the URL in ``ValidatedUrl`` so the connection goes exactly there; the
host is never resolved a second time (no DNS rebinding).
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, ip_address

import httpx

from aicaller.core.errors import UnsafeUrlError, UpstreamHttpError
from aicaller.core.http.addresses import IPAddress, refusal_reason
from aicaller.core.http.urls import display_url
from aicaller.core.logging import get_logger

logger = get_logger(__name__)

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
"""Resolves ``(host, port)`` to addresses; injectable so tests can play DNS."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
# WHATWG's "ends in a number": browsers and inet_aton read such hosts as IPv4 in decimal, octal
# or hex (2130706433, 0x7f.1, 0177.0.0.1, 127.1). Only the canonical dotted quad is accepted.
_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0[xX][0-9a-fA-F]*)$")


@dataclass(frozen=True, slots=True)
class ValidatedUrl:
    """A URL that passed the guard, with the addresses that were checked for it."""

    url: httpx.URL
    addresses: tuple[IPAddress, ...]

    @property
    def host(self) -> str:
        """The host as it goes on the wire (ASCII, IDNA-encoded, no brackets)."""
        return self.url.raw_host.decode("ascii")

    @property
    def port(self) -> int:
        return self.url.port or _DEFAULT_PORTS[self.url.scheme]


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Resolve with the OS resolver; asyncio runs getaddrinfo in a thread, off the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            address = ip_address(str(sockaddr[0]))
            if address not in addresses:
                addresses.append(address)
    return addresses


def validate_url_syntax(url: str | httpx.URL) -> httpx.URL:
    """The checks that need no DNS: scheme, credentials and host spelling.

    Returns the normalised URL (a trailing dot on the host is dropped). Cheap and synchronous,
    for request validators; ``check_url`` is still needed before fetching.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeUrlError(f"Invalid URL: {exc}") from exc
    if parsed.scheme not in _DEFAULT_PORTS:
        raise UnsafeUrlError("Only http and https URLs can be fetched")
    if parsed.userinfo:
        raise UnsafeUrlError("URLs must not contain credentials (user:password@)")
    host = parsed.raw_host.decode("ascii")
    if "%" in host:
        raise UnsafeUrlError("URL hosts must not contain zone ids or percent-encoding")
    trimmed = host.removesuffix(".")  # "example.com." names the same host as "example.com"
    if not trimmed or trimmed.endswith("."):
        raise UnsafeUrlError("URL has no valid host")
    if trimmed != host:
        host = trimmed
        parsed = parsed.copy_with(host=host)
    numeric = ":" not in host and _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]) is not None
    if numeric and _ipv4_literal(host) is None:
        raise UnsafeUrlError(
            f"Numeric host {host!r} is not a plain dotted-quad IPv4 address; refused"
        )
    return parsed


async def check_url(
    url: str | httpx.URL, *, allow_private: bool, resolver: Resolver | None = None
) -> ValidatedUrl:
    """Validate ``url`` and resolve its host; refuse it unless every address is public.

    ``allow_private`` lifts the address check only (local use and tests); scheme,
    credential and host-spelling checks always apply. Raises ``UnsafeUrlError`` when refused
    and ``UpstreamHttpError`` (code ``dns_resolution_failed``) when the host does not resolve.
    """
    parsed = validate_url_syntax(url)
    host = parsed.raw_host.decode("ascii")
    literal = _ip_literal(host)
    if literal is not None:
        addresses: tuple[IPAddress, ...] = (literal,)
    else:
        port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
        addresses = await _resolve(resolver or system_resolver, host, port)
    if not allow_private:
        for address in addresses:
            reason = refusal_reason(address)
            if reason is not None:
                shown = display_url(parsed)
                logger.warning("http_url_refused", url=shown, address=str(address), reason=reason)
                where = "is" if literal is not None else f"resolves to {address}, which is"
                raise UnsafeUrlError(f"{shown} is refused: {host} {where} {reason}")
    return ValidatedUrl(parsed, addresses)


async def _resolve(resolver: Resolver, host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        addresses = tuple(await resolver(host, port))
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise UpstreamHttpError(
            f"Could not resolve host {host!r}: {exc}", code="dns_resolution_failed"
        ) from exc
    if not addresses:
        raise UpstreamHttpError(
            f"Host {host!r} resolved to no addresses", code="dns_resolution_failed"
        )
    return addresses


def _ipv4_literal(host: str) -> IPv4Address | None:
    try:
        address = IPv4Address(host)
    except ValueError:
        return None
    # ipaddress already rejects octal-looking octets; this also rules out other re-spellings.
    return address if str(address) == host else None


def _ip_literal(host: str) -> IPAddress | None:
    if ":" not in host:
        return _ipv4_literal(host)
    try:
        return ip_address(host)
    except ValueError as exc:  # httpx validates IPv6 literals; this keeps the guard self-reliant
        raise UnsafeUrlError(f"Invalid IPv6 address {host!r}") from exc
