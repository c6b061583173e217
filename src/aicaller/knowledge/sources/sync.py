"""Running one documentation sync: seed the frontier, crawl it (crawl_loop.py), prune, finish.

Network work happens outside transactions; finished pages are written in batches, each in one
transaction together with the sync's counters and heartbeat (the checkpoint), while the next
pages are fetched. Run again after a crash, the sync continues from the rows still queued. A
cancelled sync stops at the next checkpoint. Vanished pages are pruned only by a sync that
completed without hitting its page cap.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.config import Settings
from aicaller.core.events import EventBus
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import get_logger
from aicaller.database.models import DocumentationSource, SyncJob, SyncPage
from aicaller.database.models.documentation import PageState, SyncStatus
from aicaller.database.session import Database, run_to_the_end
from aicaller.knowledge.documentation_scraper.factory import Scraper, ScraperFactory
from aicaller.knowledge.documents.indexing import DocumentIndexer
from aicaller.knowledge.documents.repository import DocumentRepository
from aicaller.knowledge.search.maintenance import tidy_index
from aicaller.knowledge.sources.checkpoint import counter_bumps, page_changes
from aicaller.knowledge.sources.crawl import PageProcessor, PageSnapshot, RateGate
from aicaller.knowledge.sources.crawl_loop import CrawlLoop, Finished, Written
from aicaller.knowledge.sources.frontier import Frontier, KnownPage
from aicaller.knowledge.sources.repository import (
    FrontierRow,
    SourceRepository,
    SyncJobRepository,
    SyncPageRepository,
)

logger = get_logger("aicaller.knowledge.sources.sync")


def progress_channel(sync_id: uuid.UUID) -> str:
    return f"sync:{sync_id}"


COUNTERS = ("fetched", "unchanged", "skipped", "failed", "indexed")


class _Tx:
    """The repositories of one transaction."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.sources = SourceRepository(session, business_id)
        self.syncs = SyncJobRepository(session, business_id)
        self.pages = SyncPageRepository(session, business_id)
        self.documents = DocumentRepository(session, business_id)
        self.indexer = DocumentIndexer(session, business_id)
        self.business = BusinessService(session, business_id)


class DocumentationSync:
    def __init__(
        self,
        database: Database,
        http: SafeHttpClient,
        settings: Settings,
        *,
        business_id: uuid.UUID,
        sync_id: uuid.UUID,
        still_wanted: Callable[[], Awaitable[bool]] | None = None,
        events: EventBus | None = None,
        processes: Executor | None = None,
    ) -> None:
        """``processes``: the process's pool for extraction (``core/process_pool.py``), shared
        by every sync; None extracts in the event loop's threads."""
        self.database, self.settings = database, settings
        self.processes = processes
        self.business_id, self.sync_id = business_id, sync_id
        self.factory = ScraperFactory(http, settings)
        self.still_wanted = still_wanted
        self.scraper: Scraper | None = None
        self.source: DocumentationSource | None = None
        self.requests_written = 0  # the fetcher's requests already added to the sync's count
        self.events = events

    async def run(self) -> str:
        """Run (or resume) the sync to its end; returns its final status."""
        began = await run_to_the_end(self._begin())
        if isinstance(began, str):
            return began
        source_snapshot, force, resuming = began
        if resuming:
            scraper = await self.factory.open(source_snapshot)
            self.scraper, self.source = scraper, source_snapshot
        else:
            scraper, listed = await self.factory.open_with_sitemaps(
                source_snapshot, limit=source_snapshot.max_pages * 2
            )
            self.scraper, self.source = scraper, source_snapshot
            seeds = {source_snapshot.url: 0}
            for url in listed:
                seeds.setdefault(url, 1)
            if (await run_to_the_end(self._checkpoint([], 0, seeds=seeds))).cancelled:
                return SyncStatus.CANCELLED.value
        processor = PageProcessor(
            scraper.fetcher, scraper.robots, scraper.scope,
            RateGate(source_snapshot.concurrency, scraper.delay),
            force=force, ttl=timedelta(hours=self.settings.knowledge_page_ttl_hours),
            now=datetime.now(UTC), executor=self.processes,
            content_selector=source_snapshot.content_selector,
        )  # fmt: skip
        return await self._crawl(source_snapshot, processor)

    async def _begin(self) -> str | tuple[DocumentationSource, bool, bool]:
        """Mark the sync running: its source, whether it is forced and whether it resumes, or
        the status of a sync that has already ended."""
        async with self.database.transaction() as session:
            tx = _Tx(session, self.business_id)
            sync = await tx.syncs.get_or_raise(self.sync_id)
            if sync.status not in (SyncStatus.PENDING.value, SyncStatus.RUNNING.value):
                return sync.status
            source = await tx.sources.get_or_raise(sync.source_id)
            now = datetime.now(UTC)
            await tx.syncs.update(
                sync, status=SyncStatus.RUNNING.value, started_at=sync.started_at or now,
                heartbeat_at=now,
            )  # fmt: skip
            resuming = bool(await tx.pages.counts(sync.id))
            return _snapshot(source), sync.force, resuming

    async def _crawl(self, source: DocumentationSource, processor: PageProcessor) -> str:
        async with self.database.transaction() as session:
            pages = _Tx(session, self.business_id).pages
            counts = await pages.counts(self.sync_id)
            known = [_known(row) for row in await pages.frontier(source.id)]
        processed = sum(n for state, n in counts.items() if state != PageState.QUEUED.value)
        frontier = Frontier(self.sync_id, processor.scope, source.max_depth, known)
        loop = CrawlLoop(
            processor.process, self._checkpoint, frontier.discover,
            slots=source.concurrency * 2, batch=source.concurrency * 2,
            room=source.max_pages - processed,
        )  # fmt: skip
        if not await loop.run():
            return SyncStatus.CANCELLED.value
        finished = await run_to_the_end(self._end(source))
        await self._announce()  # after the commit: listeners re-read the final state
        if finished == SyncStatus.COMPLETED.value:
            await tidy_index(self.database)
        return finished

    async def _end(self, source: DocumentationSource) -> str:
        """Prune and complete the sync in one transaction (cancelled: nothing is written)."""
        async with self.database.transaction() as session:
            tx = _Tx(session, self.business_id)
            sync = await tx.syncs.get_or_raise(self.sync_id)
            if sync.status == SyncStatus.CANCELLED.value or not await self._wanted():
                return SyncStatus.CANCELLED.value
            counts = await tx.pages.counts(self.sync_id)
            processed = sum(n for state, n in counts.items() if state != PageState.QUEUED.value)
            capped = processed >= source.max_pages and counts.get(PageState.QUEUED.value, 0) > 0
            return await self._finish(tx, sync, source, capped=capped)

    async def _wanted(self) -> bool:
        return self.still_wanted is None or await self.still_wanted()

    async def _checkpoint(
        self, finished: list[Finished], read: int, *, seeds: dict[str, int] | None = None
    ) -> Written:
        """Write finished pages in one transaction (page rows, documents, new frontier rows,
        counters, heartbeat), then read up to ``read`` queued rows; a cancelled sync writes
        nothing."""
        async with self.database.transaction() as session:
            tx = _Tx(session, self.business_id)
            sync = await tx.syncs.get_or_raise(self.sync_id)
            if sync.status == SyncStatus.CANCELLED.value or not await self._wanted():
                return Written(cancelled=True, queued=[])
            wrote = bool(finished or seeds)
            if wrote:
                await self._write(tx, sync, finished, seeds or {})
            rows = await tx.pages.queued(self.sync_id, read) if read > 0 else []
            queued = [_page_snapshot(row) for row in rows]
        if wrote:
            await self._announce()
        return Written(cancelled=False, queued=queued)

    async def _write(
        self, tx: _Tx, sync: SyncJob, finished: list[Finished], seeds: dict[str, int]
    ) -> None:
        """A checkpoint's writes, a statement or so per table for the whole batch: the pages'
        documents and chunks, their rows (one executemany), new links, the sync's counters."""
        found = dict(seeds)
        urls = [page.url for page, _ in finished]
        rows = {row.url: row for row in await tx.pages.in_sync(self.sync_id, urls)}
        applied = [(rows[r.url], r) for _, r in finished if r.url in rows]
        source_id = self.source.id if self.source is not None else sync.source_id
        documents = await tx.indexer.store_pages(
            source_id, [(row.url, row.document_id, r.text) for row, r in applied if r.text]
        )
        bumps: Counter[str] = Counter()
        now = datetime.now(UTC)
        for row, result in applied:
            tx.pages.record(row, **page_changes(result, now, documents.get(row.url)))
            bumps.update(counter_bumps(result))
            links = result.links if result.links is not None else row.links
            if self.source is not None and self.source.max_depth > row.depth:
                for link in links:
                    if self.scraper is not None and self.scraper.scope.allows(link):
                        found.setdefault(link, row.depth + 1)
        added = await tx.pages.enqueue(sync.source_id, sync.id, found)
        requests = self.scraper.fetcher.requests if self.scraper is not None else 0
        await tx.syncs.update(
            sync, discovered=sync.discovered + added,
            requests=sync.requests + requests - self.requests_written, heartbeat_at=now,
            current_url=finished[-1][1].url if finished else sync.current_url,
            **{name: getattr(sync, name) + n for name, n in bumps.items()},
        )  # fmt: skip
        self.requests_written = requests

    async def _announce(self) -> None:
        """Wake the progress WebSockets of this sync (they re-read it from the database)."""
        if self.events is not None:
            await self.events.publish(
                progress_channel(self.sync_id), {"sync_id": str(self.sync_id)}
            )

    async def _finish(
        self, tx: _Tx, sync: SyncJob, source: DocumentationSource, *, capped: bool
    ) -> str:
        removed = 0
        if not capped:
            vanished = await tx.pages.vanished(source.id, sync.id)
            for page in vanished:
                if page.document_id is not None:
                    document = await tx.documents.get(page.document_id)
                    if document is not None:
                        await tx.documents.delete(document)
                        removed += 1
            await tx.pages.delete_rows([page.id for page in vanished])
        now = datetime.now(UTC)
        await tx.syncs.update(
            sync, status=SyncStatus.COMPLETED.value, capped=capped, removed=removed,
            finished_at=now, heartbeat_at=now, current_url=None,
        )  # fmt: skip
        live_source = await tx.sources.get_or_raise(source.id)
        await tx.sources.update(live_source, last_synced_at=now)
        await tx.business.bump_knowledge_version()
        logger.info("sync_completed", sync_id=str(sync.id), capped=capped, removed=removed)
        return SyncStatus.COMPLETED.value


def _snapshot(source: DocumentationSource) -> DocumentationSource:
    """A detached copy of the source's settings for use outside the transaction."""
    return DocumentationSource(**{c.key: getattr(source, c.key) for c in source.__table__.c})


def _known(row: FrontierRow) -> KnownPage:
    snapshot = PageSnapshot(
        row.url, row.depth, row.etag, row.last_modified, row.content_hash, row.fetched_at,
        row.document_id is not None,
    )  # fmt: skip
    return KnownPage(snapshot, row.sync_id, row.state == PageState.QUEUED.value)


def _page_snapshot(row: SyncPage) -> PageSnapshot:
    return PageSnapshot(
        row.url, row.depth, row.etag, row.last_modified, row.content_hash, row.fetched_at,
        row.document_id is not None,
    )  # fmt: skip
