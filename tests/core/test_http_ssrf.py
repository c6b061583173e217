"""The SSRF guard refuses every known way of reaching internal addresses, before connecting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicaller.core.errors import UnsafeUrlError, UpstreamHttpError
from aicaller.core.http import (
    IPAddress,
    SafeHttpClient,
    check_url,
    is_public_address,
    system_resolver,
    validate_url_syntax,
)
from tests.core.http_peer import FakeDns, LocalPeer, ScriptedNetwork, http_response, make_client

PUBLIC_V4 = IPv4Address("93.184.216.34")
DNS: dict[str, list[list[IPAddress]]] = {
    "docs.example": [[PUBLIC_V4]],
    "localhost": [[IPv4Address("127.0.0.1")]],
    "metadata.internal": [[IPv4Address("169.254.169.254")]],
    "mixed.example": [[PUBLIC_V4, IPv4Address("10.0.0.1")]],
    "v6-loopback.example": [[IPv6Address("::1")]],
    "nat64-private.example": [[IPv6Address("64:ff9b::a00:1")]],
    "mapped.example": [[IPv6Address("::ffff:192.168.0.1")]],
}

REFUSED = [
    # scheme, credentials, malformed
    "ftp://docs.example/",
    "file:///etc/passwd",
    "gopher://docs.example:70/_x",
    "http://user:pass@docs.example/",
    "http://user@docs.example/",
    "/relative/path",
    "http:///no-host",
    "http://./",
    "http://[::1/",
    # loopback, private, link-local (metadata), CGNAT, this-network, multicast, reserved
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/admin",
    "http://127.0.0.1./",
    "http://127.255.255.254/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.0.1/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://0.0.0.0/",
    "http://0.1.2.3/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.1/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[ff0e::1]/",
    "http://[2001:db8::1]/",
    # IPv4 hidden in IPv6: mapped, compatible, 6to4, NAT64 (well-known and local-use), Teredo
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:8.8.8.8]/",
    "http://[::127.0.0.1]/",
    "http://[::8.8.8.8]/",
    "http://[2002:7f00:1::1]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::169.254.169.254]/",
    "http://[64:ff9b:1:7f00:0:100::]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[2001::1]/",
    # numeric spellings that resolvers read as IPv4
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0x7F.1/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://127.1/",
    "http://127.0.1/",
    "http://0/",
    "http://1.2.3.4.5/",
    "http://0x5db8d822/",  # a public address, but spelled in hex: refused consistently
    "http://%31%32%37.0.0.1/",
    # zone ids
    "http://[fe80::1%25eth0]/",
    "http://[fe80::1%eth0]/",
    # names that resolve to refused addresses (any one of them is enough)
    "http://localhost/",
    "http://localhost./",
    "http://LOCALHOST:8000/",
    "http://metadata.internal/computeMetadata/v1/",
    "http://mixed.example/",
    "http://v6-loopback.example/",
    "http://nat64-private.example/",
    "http://mapped.example/",
]

ALLOWED = [
    ("http://93.184.216.34/", "93.184.216.34"),
    ("http://[2606:4700:4700::1111]/", "2606:4700:4700::1111"),
    ("http://[64:ff9b::808:808]/", "64:ff9b::808:808"),  # NAT64 of a public address
    ("http://[2002:808:808::1]/", "2002:808:808::1"),  # 6to4 of a public address
    ("https://docs.example/guide?x=1", "93.184.216.34"),
    ("http://Docs.Example./guide", "93.184.216.34"),
]

_NAT64 = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")
_TEREDO = IPv6Network("2001::/32")


def literal_url(address: IPAddress) -> str:
    return f"http://[{address}]/" if address.version == 6 else f"http://{address}/"


def expected_refused(address: IPAddress) -> bool:
    """The guard's contract, stated with the standard library only."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None or address in _TEREDO or int(address) < 2**32:
            return True  # IPv4 in disguise (or ::, ::1): never a legitimate public target
        if address in _NAT64:
            return expected_refused(IPv4Address(address.packed[12:]))
        if address in _NAT64_LOCAL:
            packed = address.packed
            return expected_refused(IPv4Address(packed[6:8] + packed[9:11]))
        if address.sixtofour is not None:
            return expected_refused(address.sixtofour)
        if address.is_site_local:
            return True
    return not address.is_global or address.is_multicast or address.is_reserved


@pytest.fixture
def network() -> ScriptedNetwork:
    return ScriptedNetwork(default=http_response(200, body=b"public"))


@pytest.fixture
async def guarded(network: ScriptedNetwork) -> AsyncIterator[SafeHttpClient]:
    async with make_client(resolver=FakeDns(DNS), network=network) as client:
        yield client


@pytest.mark.parametrize("url", REFUSED)
async def test_refused_before_any_connection(
    url: str, guarded: SafeHttpClient, network: ScriptedNetwork
) -> None:
    with pytest.raises(UnsafeUrlError) as caught:
        await guarded.fetch(url)
    assert caught.value.code == "unsafe_url"
    assert caught.value.status == 422
    assert network.connects == []


@pytest.mark.parametrize(("url", "address"), ALLOWED)
async def test_public_urls_connect_to_the_checked_address(
    url: str, address: str, guarded: SafeHttpClient, network: ScriptedNetwork
) -> None:
    response = await guarded.fetch(url)
    assert (response.status_code, response.content) == (200, b"public")
    assert [host for host, _port in network.connects] == [address]


@given(address=st.ip_addresses())
@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_literal_addresses_refused_iff_not_global(
    address: IPAddress, guarded: SafeHttpClient, network: ScriptedNetwork
) -> None:
    network.connects.clear()
    if expected_refused(address):
        with pytest.raises(UnsafeUrlError):
            await guarded.fetch(literal_url(address))
        assert network.connects == []
    else:
        response = await guarded.fetch(literal_url(address))
        assert response.status_code == 200
        assert network.connects == [(str(address), 80)]


@given(address=st.ip_addresses())
@settings(max_examples=2000)
def test_address_policy_matches_the_contract(address: IPAddress) -> None:
    assert is_public_address(address) is not expected_refused(address)


@given(v4=st.ip_addresses(v=4))
@settings(max_examples=1000)
def test_embedded_ipv4_judged_by_its_target(v4: IPv4Address) -> None:
    raw = v4.packed
    nat64 = IPv6Address(b"\x00\x64\xff\x9b" + bytes(8) + raw)
    nat64_local = IPv6Address(b"\x00\x64\xff\x9b\x00\x01" + raw[:2] + b"\x00" + raw[2:] + bytes(5))
    six_to_four = IPv6Address(b"\x20\x02" + raw + bytes(10))
    for translated in (nat64, nat64_local, six_to_four):
        assert is_public_address(translated) is is_public_address(v4)
    mapped = IPv6Address(b"\x00" * 10 + b"\xff\xff" + raw)
    assert not is_public_address(mapped)


async def test_allow_private_lifts_only_the_address_check(network: ScriptedNetwork) -> None:
    async with make_client(
        resolver=FakeDns(DNS), network=network, allow_private_urls=True
    ) as client:
        assert (await client.fetch("http://127.0.0.1:8080/")).status_code == 200
        assert (await client.fetch("http://metadata.internal/")).status_code == 200
        for url in ("ftp://127.0.0.1/", "http://u:p@127.0.0.1/", "http://0x7f.1/"):
            with pytest.raises(UnsafeUrlError):
                await client.fetch(url)
    assert network.connects == [("127.0.0.1", 8080), ("169.254.169.254", 80)]


async def test_real_local_server_refused_unless_private_urls_allowed() -> None:
    async with LocalPeer() as peer:
        async with make_client() as client:  # the real OS resolver and real sockets
            for url in (peer.url("/"), peer.url("/", host="localhost")):
                with pytest.raises(UnsafeUrlError):
                    await client.fetch(url)
        assert peer.connections == 0
        async with make_client(allow_private_urls=True) as client:
            response = await client.fetch(peer.url("/"))
        assert response.status_code == 404  # reached: the peer answers unknown paths with 404
        assert peer.connections == 1


async def test_check_url_reports_the_checked_addresses() -> None:
    target = await check_url(
        "https://Docs.Example./a?b=1", allow_private=False, resolver=FakeDns(DNS)
    )
    assert str(target.url) == "https://docs.example/a?b=1"
    assert (target.host, target.port, target.addresses) == ("docs.example", 443, (PUBLIC_V4,))
    with pytest.raises(UnsafeUrlError, match=r"169\.254\.169\.254"):
        await check_url("http://metadata.internal/", allow_private=False, resolver=FakeDns(DNS))


async def test_unresolvable_host_is_a_typed_error() -> None:
    with pytest.raises(UpstreamHttpError) as caught:
        await check_url("http://nowhere.example/", allow_private=False, resolver=FakeDns({}))
    assert caught.value.code == "dns_resolution_failed"


async def test_system_resolver_resolves_off_the_loop() -> None:
    assert ip_address("127.0.0.1") in await system_resolver("localhost", 80)
    with pytest.raises(UnsafeUrlError):
        await check_url("http://localhost:1/", allow_private=False)


def test_syntax_check_needs_no_dns() -> None:
    assert str(validate_url_syntax("HTTP://Example.COM./x")) == "http://example.com/x"
    for url in ("javascript:alert(1)", "http://a:b@example.com/", "http://0x7f.1/"):
        with pytest.raises(UnsafeUrlError):
            validate_url_syntax(url)
