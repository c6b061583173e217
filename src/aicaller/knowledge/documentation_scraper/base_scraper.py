"""Fetching documentation pages through the shared, SSRF-guarded HTTP client.

Retries (429 with Retry-After, 5xx, network errors) are the client's shared policy; this layer
adds conditional requests (ETag / Last-Modified), the HTML-or-text rule, the per-page size cap
and the typed errors the sync records per URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aicaller.core.errors import ResponseTooLargeError, UnsafeUrlError, UpstreamHttpError
from aicaller.core.http import SafeHttpClient
from aicaller.knowledge.errors import BlockedUrl, FetchFailed, PageTooLarge, UnsupportedContent

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
GONE = (404, 410)


class Outcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    outcome: Outcome
    final_url: str
    status: int
    content: bytes = b""
    media_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def text(self) -> str:
        return self.content.decode(self.charset or "utf-8", errors="replace")


def _media_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, setting = param.strip().partition("=")
        if name.lower() == "charset" and setting:
            charset = setting.strip("\"' ").lower()
    return media.strip().lower(), charset


class PageFetcher:
    """One per sync; counts the HTTP requests it makes (redirect hops included)."""

    def __init__(self, http: SafeHttpClient, *, max_page_bytes: int) -> None:
        self.http = http
        self.max_page_bytes = max_page_bytes
        self.requests = 0

    async def fetch_page(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        headers = {"Accept": "text/html,application/xhtml+xml,text/plain;q=0.8"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = await self.http.fetch(url, headers=headers, max_bytes=self.max_page_bytes)
        except UnsafeUrlError as exc:
            raise BlockedUrl(str(exc)) from exc
        except ResponseTooLargeError as exc:
            self.requests += exc.attempts
            raise PageTooLarge(f"larger than {self.max_page_bytes:,} bytes") from exc
        except UpstreamHttpError as exc:
            self.requests += exc.attempts
            raise FetchFailed(f"{exc} (after {exc.attempts} attempts)") from exc
        self.requests += 1 + len(response.redirects)
        if response.status_code == 304:  # noqa: PLR2004 - Not Modified
            return FetchedPage(Outcome.NOT_MODIFIED, response.url, 304)
        if response.status_code in GONE:
            return FetchedPage(Outcome.GONE, response.url, response.status_code)
        if response.status_code >= 400:  # noqa: PLR2004
            raise FetchFailed(f"HTTP {response.status_code}")
        media_type, charset = _media_type(response.headers.get("content-type", "text/html"))
        if media_type not in PAGE_TYPES:
            raise UnsupportedContent(f"{media_type} is not HTML or text")
        return FetchedPage(
            Outcome.OK,
            response.url,
            response.status_code,
            response.content,
            media_type,
            charset,
            response.headers.get("etag"),
            response.headers.get("last-modified"),
        )

    async def fetch_optional(self, url: str, *, max_bytes: int) -> bytes | None:
        """robots.txt and sitemaps: the body on 200, None when missing or unreachable."""
        try:
            response = await self.http.fetch(url, max_bytes=max_bytes)
        except (UpstreamHttpError, UnsafeUrlError):
            self.requests += 1
            return None
        self.requests += 1 + len(response.redirects)
        return response.content if response.status_code == 200 else None  # noqa: PLR2004
