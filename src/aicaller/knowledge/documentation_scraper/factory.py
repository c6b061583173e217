"""Scrapers made on demand from a source's settings, all on the process's shared HTTP client.

Nothing here is module-level: every sync gets its own fetcher (and request counter), robots
policy and scope, built from the source it crawls and the client the process opened.
"""

from __future__ import annotations

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

    async def sitemap_urls(self, *, limit: int) -> list[str]:
        """Pages listed by the site's sitemaps (robots ``Sitemap:`` lines, else /sitemap.xml),
        following sitemap indexes; in scope and allowed by robots.txt only."""
        pending = list(self.robots.sitemaps) or [f"{self.scope.site}/sitemap.xml"]
        seen: set[str] = set()
        pages: dict[str, None] = {}
        while pending and len(seen) < MAX_SITEMAP_FILES and len(pages) < limit:
            url = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            data = await self.fetcher.fetch_optional(url, max_bytes=MAX_SITEMAP_BYTES)
            content = parse_sitemap(data or b"")
            pending += content.sitemaps
            for page in content.pages:
                normalised = normalise_url(page)
                if normalised and self.scope.allows(normalised) and self.robots.allows(normalised):
                    pages.setdefault(normalised, None)
        return list(pages)[:limit]


class ScraperFactory:
    def __init__(self, http: SafeHttpClient, settings: Settings) -> None:
        self.http = http
        self.user_agent = settings.http_user_agent

    async def open(self, source: DocumentationSource) -> Scraper:
        """The scraper for ``source``, with its robots.txt already read."""
        fetcher = PageFetcher(self.http, max_page_bytes=source.max_page_bytes)
        scope = CrawlScope.for_source(source.url, source.include_patterns, source.exclude_patterns)
        robots_body = await fetcher.fetch_optional(
            f"{scope.site}/robots.txt", max_bytes=ROBOTS_MAX_BYTES
        )
        text = robots_body.decode("utf-8", errors="replace") if robots_body else None
        robots = RobotsPolicy.parse(text, self.user_agent)
        return Scraper(fetcher, robots, scope, max(source.delay_seconds, robots.crawl_delay))
