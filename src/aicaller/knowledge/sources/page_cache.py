"""The page cache: what a sync keeps of every page it fetched (ETag, Last-Modified, content
hash and fetch time, on the page's ``sync_pages`` row) and how the next sync uses it.

Within ``AICALLER_KNOWLEDGE_PAGE_TTL_HOURS`` of its last fetch a page is not requested at all;
after that the request is conditional, so an unchanged page costs a 304; a page whose content
hash has not changed is not chunked again. A forced sync ignores the cache. The cache is only
used for pages whose document still exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class CachedPage(Protocol):
    """What the cache knows of a page (a frontier row, read before the crawl)."""

    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def content_hash(self) -> str | None: ...
    @property
    def fetched_at(self) -> datetime | None: ...
    @property
    def has_document(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PageCache:
    """The cache as one sync sees it: ``now`` is when the sync started."""

    force: bool
    ttl: timedelta
    now: datetime

    def usable(self, page: CachedPage) -> bool:
        return page.content_hash is not None and page.has_document and not self.force

    def fresh(self, page: CachedPage) -> bool:
        """Fetched within the TTL: not requested again."""
        fetched = page.fetched_at
        return self.usable(page) and fetched is not None and self.now - fetched < self.ttl

    def validators(self, page: CachedPage) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of a conditional request (none: an unconditional one)."""
        if not self.usable(page):
            return None, None
        return page.etag, page.last_modified

    def known_hash(self, page: CachedPage) -> str | None:
        """The content hash new content is compared with (None: always store it)."""
        return page.content_hash if page.has_document and not self.force else None
