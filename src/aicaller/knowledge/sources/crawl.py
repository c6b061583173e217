"""One page of a sync, network and parsing only (no database): robots, the page cache
(``page_cache.py``), the fetch, canonical URLs, links, extraction and chunking into a
``PageResult``.

Everything CPU-bound about a page (parsing, extraction, hashing, chunking) happens in one call
in the extraction process, so the main process, which runs the event loop and writes every
page, only writes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from aicaller.database.models.documentation import PageState
from aicaller.knowledge.documentation_scraper.base_scraper import (
    FetchedPage,
    Outcome,
    PageFetcher,
)
from aicaller.knowledge.documentation_scraper.parse import PageText, parse_page
from aicaller.knowledge.documentation_scraper.robots import RobotsPolicy
from aicaller.knowledge.documentation_scraper.urls import CrawlScope, normalise_url
from aicaller.knowledge.errors import DocumentationScrapingError
from aicaller.knowledge.sources.page_cache import PageCache

SKIPPED_CODES = (
    "robots_disallowed",
    "unsupported_content",
    "page_too_large",
    "canonical_elsewhere",
)


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """What the processor needs of a frontier row (read before the network work starts)."""

    url: str
    depth: int
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    fetched_at: datetime | None
    has_document: bool


@dataclass(slots=True)
class PageResult:
    url: str
    state: PageState
    links: list[str] | None = None  # None: keep the links stored from an earlier fetch
    requested: bool = False  # a response arrived (fetched_at moves)
    fetched: bool = False  # a 200 with a body
    unchanged: bool = False
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    text: PageText | None = None  # set only when the content changed: markdown and chunks
    content_hash: str | None = None
    error_code: str | None = None
    error_message: str | None = None


class RateGate:
    """At most ``concurrency`` requests at once and ``delay`` seconds between their starts
    (the source's politeness delay or robots.txt's crawl-delay, whichever is longer)."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._delay = delay
        self._lock = asyncio.Lock()
        self._next_start = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            if self._delay > 0:
                async with self._lock:
                    wait = self._next_start - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._next_start = time.monotonic() + self._delay
            yield


def _failure(url: str, exc: DocumentationScrapingError) -> PageResult:
    skipped = exc.code in SKIPPED_CODES
    return PageResult(
        url,
        PageState.SKIPPED if skipped else PageState.FAILED,
        error_code=exc.code,
        error_message=exc.message,
    )


def _redirected(url: str, final: str, status: int, in_scope: bool) -> PageResult:
    """A page that redirects is indexed under the URL it lands on (queued as a link), so two
    spellings never make two documents; a landing outside the source is not followed."""
    return PageResult(
        url,
        PageState.SKIPPED,
        links=[final] if in_scope else [],
        requested=True,
        http_status=status,
        error_code="redirected" if in_scope else "out_of_scope",
        error_message=f"redirected to {final}" + ("" if in_scope else ", outside the source"),
    )


class PageProcessor:
    def __init__(
        self,
        fetcher: PageFetcher,
        robots: RobotsPolicy,
        scope: CrawlScope,
        gate: RateGate,
        *,
        force: bool,
        ttl: timedelta,
        now: datetime,
        executor: Executor | None = None,
        content_selector: str | None = None,
    ) -> None:
        self.fetcher, self.robots, self.scope, self.gate = fetcher, robots, scope, gate
        self.cache = PageCache(force=force, ttl=ttl, now=now)
        self.executor = executor  # None: the event loop's default thread pool
        self.content_selector = content_selector  # the source's, for extraction

    async def process(self, page: PageSnapshot) -> PageResult:
        if not self.robots.allows(page.url):
            return PageResult(
                page.url, PageState.SKIPPED, error_code="robots_disallowed",
                error_message="robots.txt disallows this URL",
            )  # fmt: skip
        if self.cache.fresh(page):
            return PageResult(page.url, PageState.DONE, unchanged=True)
        etag, last_modified = self.cache.validators(page)
        try:
            async with self.gate.slot():
                response = await self.fetcher.fetch_page(
                    page.url, etag=etag, last_modified=last_modified
                )
        except DocumentationScrapingError as exc:  # timeouts arrive as FetchFailed
            return _failure(page.url, exc)
        final = normalise_url(response.final_url) or response.final_url
        if final != page.url:
            return _redirected(page.url, final, response.status, self.scope.allows(final))
        if response.outcome is Outcome.OK:
            return await self._from_body(page, response)
        state = PageState.DONE if response.outcome is Outcome.NOT_MODIFIED else PageState.GONE
        return PageResult(
            page.url,
            state,
            requested=True,
            unchanged=state is PageState.DONE,
            http_status=response.status,
        )

    async def _from_body(self, page: PageSnapshot, response: FetchedPage) -> PageResult:
        known = self.cache.known_hash(page)
        parsed = await asyncio.get_running_loop().run_in_executor(
            self.executor, parse_page, response.content, response.charset, response.media_type,
            page.url, response.final_url, known, self.content_selector,
        )  # fmt: skip
        result = PageResult(
            page.url, PageState.DONE, links=parsed.links, requested=True, fetched=True,
            http_status=response.status, etag=response.etag,
            last_modified=response.last_modified,
        )  # fmt: skip
        canonical = parsed.canonical
        if canonical and canonical != page.url and self.scope.allows(canonical):
            result.state, result.links = PageState.SKIPPED, [canonical]
            result.error_code = "canonical_elsewhere"
            result.error_message = f"the page names {canonical} as its canonical URL"
            return result
        result.content_hash = parsed.content_hash
        if parsed.content_hash == known:
            result.unchanged = True
        elif parsed.text is not None and parsed.text.markdown:
            result.text = parsed.text
        return result
