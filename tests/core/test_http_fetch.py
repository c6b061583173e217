"""The guarded fetch: redirects by hand, every hop re-checked, pinned addresses, size cap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import IPv4Address

import pytest

from aicaller.core.errors import ResponseTooLargeError, TooManyRedirectsError, UnsafeUrlError
from aicaller.core.http import SafeHttpClient, check_url
from aicaller.core.http.transport import pinned
from tests.core.http_peer import (
    FakeDns,
    LocalPeer,
    Reply,
    ScriptedNetwork,
    http_response,
    make_client,
)

PUBLIC = IPv4Address("93.184.216.34")
LOOPBACK = IPv4Address("127.0.0.1")


@pytest.fixture
async def peer() -> AsyncIterator[LocalPeer]:
    async with LocalPeer() as server:
        yield server


@pytest.fixture
async def local() -> AsyncIterator[SafeHttpClient]:
    """A client that may reach the local peer (allow_private_urls), with 3 redirects at most."""
    dns = FakeDns({"peer-b.test": [[LOOPBACK]], "localhost": [[LOOPBACK]]})
    async with make_client(resolver=dns, allow_private_urls=True, http_max_redirects=3) as client:
        yield client


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": location})


async def test_fetch_returns_status_headers_and_body(
    local: SafeHttpClient, peer: LocalPeer
) -> None:
    peer.route("/page", Reply(200, {"Content-Type": "text/html", "ETag": '"v1"'}, b"<h1>hi</h1>"))
    response = await local.fetch(peer.url("/page?lang=en"))
    assert (response.status_code, response.content) == (200, b"<h1>hi</h1>")
    assert response.headers["etag"] == '"v1"'
    assert response.url == peer.url("/page?lang=en")
    assert response.redirects == ()
    seen = peer.requests[0]
    assert seen.target == "/page?lang=en"
    assert seen.headers["host"] == f"127.0.0.1:{peer.port}"
    assert seen.headers["user-agent"].startswith("aicaller/")


async def test_redirects_followed_with_relative_locations(
    local: SafeHttpClient, peer: LocalPeer
) -> None:
    peer.route("/a/start", redirect("next", 301))
    peer.route("/a/next", redirect("/b/then", 307))
    peer.route("/b/then", redirect(peer.url("/done?x=1"), 308))
    peer.route("/done", Reply(200, body=b"arrived"))
    response = await local.fetch(peer.url("/a/start"))
    assert response.content == b"arrived"
    assert response.url == peer.url("/done?x=1")
    assert response.redirects == (peer.url("/a/start"), peer.url("/a/next"), peer.url("/b/then"))


async def test_redirects_past_the_limit_are_refused(local: SafeHttpClient, peer: LocalPeer) -> None:
    for hop in range(4):
        peer.route(f"/r{hop}", redirect(f"/r{hop + 1}"))
    peer.route("/r4", Reply(200))
    with pytest.raises(TooManyRedirectsError) as caught:
        await local.fetch(peer.url("/r0"))
    assert caught.value.code == "too_many_redirects"
    assert [seen.target for seen in peer.requests] == ["/r0", "/r1", "/r2", "/r3"]
    # exactly at the limit is fine
    assert (await local.fetch(peer.url("/r1"))).redirects == tuple(
        peer.url(f"/r{hop}") for hop in (1, 2, 3)
    )


async def test_redirect_not_followed_on_request(local: SafeHttpClient, peer: LocalPeer) -> None:
    peer.route("/old", Reply(301, {"Location": "/new"}, b"moved"))
    response = await local.fetch(peer.url("/old"), follow_redirects=False)
    assert (response.status_code, response.headers["location"], response.content) == (
        301,
        "/new",
        b"moved",
    )
    assert len(peer.requests) == 1


async def test_303_turns_into_get_and_307_keeps_the_body(
    local: SafeHttpClient, peer: LocalPeer
) -> None:
    peer.route("/form", redirect("/done", 303))
    peer.route("/form307", redirect("/done", 307))
    peer.route("/done", Reply(200))
    headers = {"Content-Type": "application/json"}
    await local.fetch(peer.url("/form"), method="post", headers=headers, content=b"{}")
    await local.fetch(peer.url("/form307"), method="POST", headers=headers, content=b"{}")
    done_303, done_307 = peer.requests[1], peer.requests[3]
    assert (done_303.method, done_303.body, "content-type" in done_303.headers) == (
        "GET",
        b"",
        False,
    )
    assert (done_307.method, done_307.body) == ("POST", b"{}")


async def test_credentials_do_not_cross_origins(local: SafeHttpClient, peer: LocalPeer) -> None:
    peer.route("/same", redirect("/landing"))
    peer.route("/cross", redirect(peer.url("/landing", host="peer-b.test")))
    peer.route("/landing", Reply(200))
    auth = {"Authorization": "Bearer secret-token"}
    await local.fetch(peer.url("/same"), headers=auth)
    await local.fetch(peer.url("/cross"), headers=auth)
    assert peer.requests[1].headers.get("authorization") == "Bearer secret-token"
    assert peer.requests[3].headers["host"] == f"peer-b.test:{peer.port}"
    assert "authorization" not in peer.requests[3].headers


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://0x7f.1:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
async def test_public_to_internal_redirect_refused(location: str, peer: LocalPeer) -> None:
    network = ScriptedNetwork(
        {str(PUBLIC): http_response(302, {"Location": location.format(port=peer.port)})}
    )
    dns = FakeDns({"docs.example": [[PUBLIC]], "localhost": [[LOOPBACK]]})
    async with make_client(resolver=dns, network=network) as client:
        with pytest.raises(
            UnsafeUrlError, match=r"Redirect from http://docs\.example/start refused"
        ):
            await client.fetch("http://docs.example/start")
    assert network.connects == [(str(PUBLIC), 80)]
    assert peer.connections == 0


async def test_dns_rebinding_cannot_redirect_the_connection(peer: LocalPeer) -> None:
    # The name answers a public address first and loopback afterwards; the port is the local
    # peer's, so a second lookup at connect time would land on it.
    dns = FakeDns({"rebind.example": [[PUBLIC], [LOOPBACK]]})
    network = ScriptedNetwork({str(PUBLIC): http_response(200, body=b"public")})
    url = f"http://rebind.example:{peer.port}/"
    async with make_client(resolver=dns, network=network) as client:
        response = await client.fetch(url)
        assert response.content == b"public"
        assert network.connects == [(str(PUBLIC), peer.port)]
        assert dns.calls == ["rebind.example"]  # resolved once, by the guard only
        with pytest.raises(UnsafeUrlError, match=r"127\.0\.0\.1"):
            await client.fetch(url)
    assert peer.connections == 0


async def test_https_connects_to_the_checked_address_with_the_hostname_for_tls() -> None:
    dns = FakeDns({"secure.example": [[PUBLIC]]})
    network = ScriptedNetwork({str(PUBLIC): http_response(200, body=b"tls")})
    async with make_client(resolver=dns, network=network) as client:
        response = await client.fetch("https://secure.example/docs")
    assert response.content == b"tls"
    assert network.connects == [(str(PUBLIC), 443)]
    assert network.tls_names == ["secure.example"]  # SNI and certificate check use the name


async def test_next_checked_address_tried_when_one_refuses(peer: LocalPeer) -> None:
    peer.route("/", Reply(200, body=b"second"))
    # The whole of 127/8 is loopback, but only 127.0.0.1 has the peer listening.
    dns = FakeDns({"multi.test": [[IPv4Address("127.0.0.2"), LOOPBACK]]})
    async with make_client(resolver=dns, allow_private_urls=True) as client:
        response = await client.fetch(f"http://multi.test:{peer.port}/")
    assert response.content == b"second"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, body=b"y" * 2048),  # declared by Content-Length: refused before reading
        Reply(200, endless=True),  # no length, never ends: reading stops at the cap
    ],
    ids=["content-length", "streamed"],
)
async def test_response_size_is_capped(
    reply: Reply, local: SafeHttpClient, peer: LocalPeer
) -> None:
    peer.route("/big", reply)
    with pytest.raises(ResponseTooLargeError) as caught:
        await local.fetch(peer.url("/big"), max_bytes=1024)
    assert caught.value.code == "response_too_large"
    assert caught.value.upstream_status == 200


async def test_body_at_the_cap_is_accepted(peer: LocalPeer) -> None:
    peer.route("/exact", Reply(200, body=b"z" * 1024))
    async with make_client(allow_private_urls=True, http_max_response_bytes=1024) as client:
        assert len((await client.fetch(peer.url("/exact"))).content) == 1024
        with pytest.raises(ResponseTooLargeError):
            await client.fetch(peer.url("/exact"), max_bytes=1023)


async def test_cookies_are_not_kept_between_fetches(local: SafeHttpClient, peer: LocalPeer) -> None:
    peer.route("/login", Reply(200, {"Set-Cookie": "sid=tenant-a; Path=/"}))
    peer.route("/next", Reply(200))
    await local.fetch(peer.url("/login"))
    await local.fetch(peer.url("/next"))
    assert "cookie" not in peer.requests[1].headers


async def test_raw_client_serves_trusted_endpoints_unguarded(peer: LocalPeer) -> None:
    peer.route("/v1/models", Reply(200, body=b"[]"))
    async with make_client() as http:  # private URLs not allowed for fetch...
        response = await http.client.get(peer.url("/v1/models"))  # ...but configured APIs work
        assert response.content == b"[]"
        # Inside a guarded request, a connection to any host but the checked one is refused.
        target = await check_url("http://93.184.216.34/", allow_private=False)
        with pinned(target), pytest.raises(UnsafeUrlError, match="unchecked host"):
            await http.client.get(peer.url("/v1/models"))
    assert peer.connections == 1
