"""Scrapers made on demand from a source's settings, all on the process's shared HTTP client.

Nothing here is module-level: every sync gets its own fetcher (and request counter), robots
policy and scope, built from the source it crawls and the client the process opened.

A first sync reads robots.txt and the site's default sitemap (/sitemap.xml) side by side: one
after the other they were two round trips before the first page could start. The default is
used when robots.txt names no sitemap or names it; when robots.txt names others it was one
request too many. A source with a politeness delay reads them one after the other, as before.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from aicaller.database.models import DocumentationSource
from aicaller.knowledge.documentation_scraper.base_scraper import PageFetcher
from aicaller.knowledge.documentation_scraper.robots import ROBOTS_MAX_BYTES, RobotsPolicy
from aicaller.knowledge.documentation_scraper.sitemap import MAX_SITEMAP_BYTES, parse_sitemap
from aicaller.knowledge.documentation_scraper.urls import CrawlScope, normalise_url

MAX_SITEMAP_FILES = 20


@dataclass
class Scraper:
    fetcher: PageFetcher
    robots: RobotsPolicy
    scope: CrawlScope
    delay: float  # seconds between request starts: the source's, or robots' crawl-delay

    async def sitemap_urls(
        self, *, limit: int, fetched: dict[str, bytes | None] | None = None
    ) -> list[str]:
        """Pages listed by the site's sitemaps (robots ``Sitemap:`` lines, else /sitemap.xml),
        following sitemap indexes; in scope and allowed by robots.txt only. ``fetched``:
        sitemaps already read (URL -> body, None when missing)."""
        pending = list(self.robots.sitemaps) or [default_sitemap(self.scope)]
        known = dict(fetched or {})
        seen: set[str] = set()
        pages: dict[str, None] = {}
        while pending and len(seen) < MAX_SITEMAP_FILES and len(pages) < limit:
            url = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if url in known:
                data = known.pop(url)
            else:
                data = await self.fetcher.fetch_optional(url, max_bytes=MAX_SITEMAP_BYTES)
            content = parse_sitemap(data or b"")
            pending += content.sitemaps
            for page in content.pages:
                normalised = normalise_url(page)
                if normalised and self.scope.allows(normalised) and self.robots.allows(normalised):
                    pages.setdefault(normalised, None)
        return list(pages)[:limit]


def default_sitemap(scope: CrawlScope) -> str:
    return f"{scope.site}/sitemap.xml"


class ScraperFactory:
    def __init__(self, http: SafeHttpClient, settings: Settings) -> None:
        self.http = http
        self.user_agent = settings.http_user_agent

    async def open(self, source: DocumentationSource) -> Scraper:
        """The scraper for ``source``, with its robots.txt already read."""
        fetcher, scope = self._fetcher(source), self._scope(source)
        return self._scraper(source, fetcher, scope, await _robots(fetcher, scope))

    async def open_with_sitemaps(
        self, source: DocumentationSource, *, limit: int
    ) -> tuple[Scraper, list[str]]:
        """The scraper for ``source`` and the pages its sitemaps list (``sitemap_urls``), with
        robots.txt and the default sitemap read side by side (see the module docstring)."""
        if source.delay_seconds > 0:
            scraper = await self.open(source)
            return scraper, await scraper.sitemap_urls(limit=limit)
        fetcher, scope = self._fetcher(source), self._scope(source)
        default = default_sitemap(scope)
        async with asyncio.TaskGroup() as group:
            robots = group.create_task(_robots(fetcher, scope))
            sitemap = group.create_task(
                fetcher.fetch_optional(default, max_bytes=MAX_SITEMAP_BYTES)
            )
        scraper = self._scraper(source, fetcher, scope, robots.result())
        return scraper, await scraper.sitemap_urls(limit=limit, fetched={default: sitemap.result()})

    def _fetcher(self, source: DocumentationSource) -> PageFetcher:
        return PageFetcher(self.http, max_page_bytes=source.max_page_bytes)

    def _scope(self, source: DocumentationSource) -> CrawlScope:
        return CrawlScope.for_source(source.url, source.include_patterns, source.exclude_patterns)

    def _scraper(
        self, source: DocumentationSource, fetcher: PageFetcher, scope: CrawlScope,
        robots_body: bytes | None,
    ) -> Scraper:  # fmt: skip
        text = robots_body.decode("utf-8", errors="replace") if robots_body else None
        robots = RobotsPolicy.parse(text, self.user_agent)
        return Scraper(fetcher, robots, scope, max(source.delay_seconds, robots.crawl_delay))


async def _robots(fetcher: PageFetcher, scope: CrawlScope) -> bytes | None:
    return await fetcher.fetch_optional(f"{scope.site}/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
