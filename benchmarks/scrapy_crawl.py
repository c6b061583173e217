"""Scrapy crawling a site, for benchmarks/crawl.py: ``python scrapy_crawl.py URL CONCURRENCY``.

Runs in its own process (Twisted's reactor cannot restart). Prints one JSON line: pages,
requests and seconds from the first request to the last response.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

STATS: dict[str, Any] = {"pages": 0}


class DocsSpider(CrawlSpider):
    name = "docs"
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, start: str, **kwargs: Any) -> None:
        self.start_urls = [start]
        self.allowed_domains = [urlsplit(start).hostname or ""]
        super().__init__(**kwargs)

    def parse_start_url(self, response: Any, **kwargs: Any) -> Any:
        return self.parse_page(response)

    def parse_page(self, response: Any) -> Any:
        STATS["pages"] += 1
        STATS["last"] = time.perf_counter()
        return []


def main() -> None:
    url, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True,
            "LOG_LEVEL": "ERROR",
            "TELNETCONSOLE_ENABLED": False,
            "HTTPCACHE_ENABLED": False,
            "DEPTH_LIMIT": 0,
        }
    )
    crawler = process.create_crawler(DocsSpider)
    started = time.perf_counter()
    process.crawl(crawler, start=url)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(
        json.dumps(
            {
                "pages": STATS["pages"],
                "requests": stats.get("downloader/request_count", 0),
                "seconds": STATS.get("last", started) - started,
            }
        )
    )


if __name__ == "__main__":
    main()
