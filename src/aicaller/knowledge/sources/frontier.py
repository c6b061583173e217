"""Which pages a finished page's links lead to, decided in memory so they start at once.

The crawl loop starts a finished page's links before the checkpoint that writes them to the
database (``crawl_loop.py``). This decides what the checkpoint's enqueue will decide, from the
source's page rows as they were when the crawl started: a link outside the scope, or past the
source's depth, is not followed; a page this sync already wrote (in a run before a crash) is
not fetched again; a page an earlier sync fetched keeps its cache (ETag, content hash, ...)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from aicaller.knowledge.documentation_scraper.urls import CrawlScope
from aicaller.knowledge.sources.crawl import PageResult, PageSnapshot


@dataclass(frozen=True, slots=True)
class KnownPage:
    """A page row of the source when the crawl started."""

    snapshot: PageSnapshot
    sync_id: uuid.UUID | None
    queued: bool


class Frontier:
    def __init__(
        self, sync_id: uuid.UUID, scope: CrawlScope, max_depth: int, known: Iterable[KnownPage]
    ) -> None:
        self.sync_id, self.scope, self.max_depth = sync_id, scope, max_depth
        self.known = {page.snapshot.url: page for page in known}

    def discover(self, page: PageSnapshot, result: PageResult) -> list[PageSnapshot]:
        """The pages ``result``'s links lead to. A page whose links are the ones stored from
        an earlier fetch (``links`` None) leads nowhere here: the checkpoint reads them from
        its row and queues them in the database, where the crawl finds them."""
        if result.links is None or page.depth >= self.max_depth:
            return []
        found: list[PageSnapshot] = []
        for url in result.links:
            if not self.scope.allows(url):
                continue
            row = self.known.get(url)
            if row is None:
                found.append(PageSnapshot(url, page.depth + 1, None, None, None, None, False))
            elif row.sync_id != self.sync_id:  # the checkpoint queues it again, at this depth
                found.append(replace(row.snapshot, depth=page.depth + 1))
            elif row.queued:  # queued by this sync: it stays at its depth
                found.append(row.snapshot)
        return found
