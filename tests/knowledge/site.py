"""A documentation site on 127.0.0.1 for crawl tests: pages with ETags and conditional
requests, robots.txt and sitemaps, scripted failures, a log of every request and answer, and
the most requests it saw at once."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, Self

from tests.core.http_peer import LocalPeer, Reply

LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"


def html(title: str, body: str, links: tuple[str, ...] = (), head: str = "") -> bytes:
    anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    return (
        f"<html><head><title>{title}</title>{head}</head><body><nav>{anchors}</nav>"
        f"<main><h1>{title}</h1><p>{body}</p></main></body></html>"
    ).encode()


class DocSite(LocalPeer):
    """Scripted routes (``route``) win; otherwise ``pages`` are served with an ETag."""

    def __init__(self, delay: float = 0.0, host: str = "127.0.0.1") -> None:
        super().__init__()
        self.host = host  # "::1": the site listens on IPv6 loopback
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.delay = delay  # before answering each page
        self.events: list[tuple[str, str]] = []  # ("request" | "answered", path), in order
        self.active = self.peak = 0
        self._paths: dict[asyncio.Task[Any] | None, str] = {}
        self._watched: dict[str, asyncio.Event] = {}

    def requested(self, path: str) -> asyncio.Event:
        """An event set when ``path`` is first requested."""
        return self._watched.setdefault(path, asyncio.Event())

    async def __aenter__(self) -> Self:
        if self.host == "127.0.0.1":
            return await super().__aenter__()
        self._server = await asyncio.start_server(self._serve, self.host, 0)
        return self

    def url(self, path: str = "/", host: str | None = None) -> str:
        host = host or self.host
        return super().url(path, f"[{host}]" if ":" in host else host)

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.pages[path] = (body, content_type)

    def hits(self, path: str | None = None) -> int:
        return sum(1 for seen in self.requests if path is None or seen.target == path)

    def page_requests(self) -> list[str]:
        """Requests other than robots.txt and sitemaps."""
        skip = ("/robots.txt", "/sitemap")
        return [seen.target for seen in self.requests if not seen.target.startswith(skip)]

    def before(self, first: tuple[str, str], then: tuple[str, str]) -> bool:
        return self.events.index(first) < self.events.index(then)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            await super()._serve(reader, writer)
        finally:
            self.active -= 1
            path = self._paths.pop(asyncio.current_task(), None)
            if path is not None:
                self.events.append(("answered", path))

    def _next_reply(self, path: str) -> Reply:
        self._paths[asyncio.current_task()] = path
        self.events.append(("request", path))
        if path in self._watched:
            self._watched[path].set()
        if path in self.routes:
            return super()._next_reply(path)
        found = self.pages.get(path)
        if found is None:
            return Reply(404, body=b"not found")
        body, content_type = found
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.requests[-1].headers.get("if-none-match") == etag:
            return Reply(304, {"ETag": etag})
        headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        return Reply(200, headers, body, delay=self.delay)
