"""The guarded fetch's aiohttp transport keeps the SSRF pinning: aiohttp asks the pinning
resolver for every connection, which answers only the checked addresses and refuses any other
host of a guarded request."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from ipaddress import IPv4Address

import httpx
import pytest

from aicaller.core.errors import UnsafeUrlError
from aicaller.core.http.aiohttp_transport import PinningResolver
from aicaller.core.http.ssrf import ValidatedUrl
from aicaller.core.http.transport import pinned
from tests.core.http_peer import FakeDns, LocalPeer, Reply, make_client

LOOPBACK = IPv4Address("127.0.0.1")


@pytest.fixture
async def peer() -> AsyncIterator[LocalPeer]:
    async with LocalPeer() as server:
        yield server


async def test_guarded_fetch_connects_to_the_address_the_guard_checked(peer: LocalPeer) -> None:
    # The name answers loopback (the peer) first and an address nobody listens on afterwards:
    # a lookup by the transport at connect time would miss the peer.
    peer.route("/", Reply(200, body=b"pinned"))
    dns = FakeDns({"rebind.test": [[LOOPBACK], [IPv4Address("127.0.0.9")]]})
    async with make_client(resolver=dns, allow_private_urls=True) as client:
        response = await client.fetch(f"http://rebind.test:{peer.port}/")
    assert response.content == b"pinned"
    assert dns.calls == ["rebind.test"]  # resolved once, by the guard only
    assert peer.requests[0].headers["host"] == f"rebind.test:{peer.port}"


async def test_pinning_resolver_answers_only_checked_addresses() -> None:
    resolver = PinningResolver()
    target = ValidatedUrl(httpx.URL("http://docs.test/"), (LOOPBACK, IPv4Address("127.0.0.2")))
    try:
        with pinned(target):
            answers = await resolver.resolve("docs.test", 80)
            assert [a["host"] for a in answers] == ["127.0.0.1", "127.0.0.2"]
            with pytest.raises(UnsafeUrlError, match="unchecked host"):
                await resolver.resolve("other.test", 80)
        # Outside a guarded request (trusted endpoints) names resolve as usual.
        assert "127.0.0.1" in {a["host"] for a in await resolver.resolve("localhost", 80)}
    finally:
        await resolver.close()


async def test_gzip_bodies_are_decoded_once(peer: LocalPeer) -> None:
    peer.route(
        "/", Reply(200, body=gzip.compress(b"docs" * 100), headers={"Content-Encoding": "gzip"})
    )
    async with make_client(allow_private_urls=True) as client:
        response = await client.fetch(peer.url("/"))
    assert response.content == b"docs" * 100
