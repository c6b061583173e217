"""The process-wide outbound HTTP client: one pooled httpx client plus a guarded ``fetch``.

``fetch`` is for user-supplied URLs (documentation sites): every hop passes the SSRF guard,
connects only to the addresses that were checked, redirects are followed by hand and the body
is capped. ``client`` is the raw pooled client for trusted endpoints from configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus, cookiejar
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpcore
import httpx

from aicaller.core.errors import (
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsafeUrlError,
    UpstreamHttpError,
)
from aicaller.core.http.aiohttp_transport import AiohttpTransport
from aicaller.core.http.retry import RetryPolicy, Sleep, send_with_retry, should_retry_status
from aicaller.core.http.ssrf import Resolver, ValidatedUrl, check_url
from aicaller.core.http.transport import PinningTransport, pinned
from aicaller.core.http.urls import display_url, origin

if TYPE_CHECKING:
    from aicaller.config import Settings

_REDIRECTS = frozenset(
    {
        HTTPStatus.MOVED_PERMANENTLY,
        HTTPStatus.FOUND,
        HTTPStatus.SEE_OTHER,
        HTTPStatus.TEMPORARY_REDIRECT,
        HTTPStatus.PERMANENT_REDIRECT,
    }
)
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie")
_BODY_HEADERS = ("content-type", "content-length", "content-encoding", "transfer-encoding")
_MAX_KEEPALIVE = 20


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """A fetched response with its body read (within the size cap) and its redirect chain."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: tuple[str, ...] = ()  # URLs that answered with a redirect, in order


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    headers: httpx.Headers
    content: bytes | None


class SafeHttpClient:
    """One per process: open it in the app lifespan and ``aclose()`` it on shutdown."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        guarded: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy,
        allow_private: bool = False,
        max_redirects: int = 5,
        max_response_bytes: int = 10 * 1024 * 1024,
        resolver: Resolver | None = None,
    ) -> None:
        self._client = client
        self._guarded = guarded  # ``fetch``'s client (aiohttp); None: ``client`` does both
        self._retry = retry_policy
        self._allow_private = allow_private
        self._max_redirects = max_redirects
        self._max_bytes = max_response_bytes
        self._resolver = resolver

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        sleep: Sleep | None = None,
    ) -> SafeHttpClient:
        """Build the client from the ``http_*`` settings; the keyword hooks are for tests."""
        limits = httpx.Limits(
            max_connections=settings.http_max_connections,
            max_keepalive_connections=min(settings.http_max_connections, _MAX_KEEPALIVE),
        )
        client = _client(settings, PinningTransport(limits=limits, network_backend=network_backend))
        # ``fetch`` goes over aiohttp (``aiohttp_transport.py``); a test's httpcore backend not.
        guarded = None
        if network_backend is None:
            wire = AiohttpTransport(settings.http_max_connections, limits.keepalive_expiry)
            guarded = _client(settings, wire)
        return cls(
            client,
            guarded=guarded,
            retry_policy=RetryPolicy.from_settings(settings, sleep=sleep),
            allow_private=settings.allow_private_urls,
            max_redirects=settings.http_max_redirects,
            max_response_bytes=settings.http_max_response_bytes,
            resolver=resolver,
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The pooled client for trusted, configured endpoints (LLM, Twilio). Not guarded:
        never give it a user-supplied URL; use ``fetch``."""
        return self._client

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._retry

    async def check_url(self, url: str | httpx.URL) -> ValidatedUrl:
        """The SSRF guard with this client's settings, e.g. when a user registers a URL."""
        return await check_url(url, allow_private=self._allow_private, resolver=self._resolver)

    async def fetch(
        self,
        url: str | httpx.URL,
        *,
        method: str = "GET",
        headers: httpx.Headers | dict[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        retry: bool = True,
        follow_redirects: bool = True,
    ) -> FetchResponse:
        """Fetch a user-supplied URL through the SSRF guard.

        Returns the final response with its body. 429 and 5xx are retried (``retry=False``:
        tried once) and, if they persist, raised as ``UpstreamHttpError`` with
        ``upstream_status``; for POST/PATCH only 429 and unsent requests are retried and a 5xx
        is returned, as the peer may have acted on it. Raises ``UnsafeUrlError`` for a refused
        URL or redirect target, ``TooManyRedirectsError``, ``ResponseTooLargeError`` past
        ``max_bytes`` (default ``http_max_response_bytes``) and ``UpstreamHttpError`` for
        network and DNS failures (code ``dns_resolution_failed``).
        """
        target = await self.check_url(url)
        request = _Request(method.upper(), httpx.Headers(headers), content)
        policy = self._retry if retry else self._retry.with_attempts(1)
        limit = self._max_bytes if max_bytes is None else max_bytes
        redirects: list[str] = []
        while True:
            response, body = await self._hop(target, request, policy, limit, follow_redirects)
            if body is not None:
                return FetchResponse(
                    url=str(target.url),
                    status_code=response.status_code,
                    headers=response.headers,
                    content=body,
                    redirects=tuple(redirects),
                )
            await response.aclose()  # a redirect to follow; its body is not wanted
            if len(redirects) >= self._max_redirects:
                where = display_url(redirects[0] if redirects else target.url)
                raise TooManyRedirectsError(
                    f"{where} redirected more than {self._max_redirects} times",
                    url=where,
                    upstream_status=response.status_code,
                )
            redirects.append(str(target.url))
            target, request = await self._follow(target, request, response)

    async def aclose(self) -> None:
        await self._client.aclose()
        if self._guarded is not None:
            await self._guarded.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _hop(
        self,
        target: ValidatedUrl,
        request: _Request,
        policy: RetryPolicy,
        limit: int,
        follow_redirects: bool,
    ) -> tuple[httpx.Response, bytes | None]:
        """One request (with retries); the body is read unless the response is a redirect."""
        idempotent = request.method in _IDEMPOTENT_METHODS
        bodies: list[bytes] = []

        client = self._guarded or self._client

        async def attempt() -> httpx.Response:
            outgoing = client.build_request(
                request.method, target.url, headers=request.headers, content=request.content
            )
            with pinned(target):
                response = await client.send(outgoing, stream=True)
            redirect = follow_redirects and _is_redirect(response)
            if not redirect and not should_retry_status(response.status_code, idempotent):
                # Read inside the attempt so a connection dropped mid-body is retried too.
                bodies.append(await _read_capped(response, limit))
            return response

        response = await send_with_retry(attempt, policy, idempotent=idempotent)
        return response, (bodies[-1] if bodies else None)

    async def _follow(
        self, target: ValidatedUrl, request: _Request, response: httpx.Response
    ) -> tuple[ValidatedUrl, _Request]:
        status = response.status_code
        try:
            next_url = target.url.join(response.headers["location"])
        except httpx.InvalidURL as exc:
            where = display_url(target.url)
            raise UpstreamHttpError(
                f"{where} redirected to an invalid URL", url=where, upstream_status=status
            ) from exc
        try:
            next_target = await self.check_url(next_url)
        except UnsafeUrlError as exc:
            raise UnsafeUrlError(
                f"Redirect from {display_url(target.url)} refused: {exc.message}"
            ) from exc
        headers = httpx.Headers(request.headers)
        method, content = request.method, request.content
        # What browsers (and httpx) do: 303 turns into GET, and so do 301/302 after a POST.
        if (status == HTTPStatus.SEE_OTHER and method != "HEAD") or (
            status in {HTTPStatus.MOVED_PERMANENTLY, HTTPStatus.FOUND} and method == "POST"
        ):
            method, content = "GET", None
            for name in _BODY_HEADERS:
                headers.pop(name, None)
        if origin(target.url) != origin(next_target.url):
            for name in _CREDENTIAL_HEADERS:
                headers.pop(name, None)
        return next_target, _Request(method, headers, content)


def _client(settings: Settings, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.http_timeout_seconds),
        headers={"User-Agent": settings.http_user_agent},
        follow_redirects=False,
        # Environment proxies would resolve hosts themselves (bypassing the pinning) and
        # .netrc credentials must never reach user-supplied hosts.
        trust_env=False,
        # One client serves every tenant: cookies set by one site must not follow the next.
        # (A jar, not httpx.Cookies: the client would copy those into a permissive jar.)
        cookies=cookiejar.CookieJar(policy=cookiejar.DefaultCookiePolicy(allowed_domains=[])),
    )


def _is_redirect(response: httpx.Response) -> bool:
    return response.status_code in _REDIRECTS and "location" in response.headers


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    """Stream the body, stopping as soon as it exceeds ``limit`` bytes (decoded)."""
    try:
        declared = response.headers.get("content-length", "")
        if response.request.method != "HEAD" and declared.isdigit() and int(declared) > limit:
            raise _too_large(response, limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        await response.aclose()


def _too_large(response: httpx.Response, limit: int) -> ResponseTooLargeError:
    where = display_url(response.request.url)
    return ResponseTooLargeError(
        f"Response from {where} exceeds {limit} bytes",
        url=where,
        upstream_status=response.status_code,
    )
