"""Sync state in the database: sources, sync jobs and the per-URL frontier and page cache.

The frontier is the sync's ``sync_pages`` rows in state ``queued``; the runner takes them in
batches and writes each batch's results (page states, documents, counters, new links) in one
transaction. A sync that stops half-way (crash, restart) resumes from the rows still queued:
nothing is lost, and a page written twice updates its one document.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Row, delete, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import DocumentationSource, SyncJob, SyncPage
from aicaller.database.models.documentation import (
    ACTIVE_SYNC,
    ACTIVE_SYNC_WHERE,
    PageState,
    SyncStatus,
)
from aicaller.database.repository import BaseRepository

SCRAPE_FAILURES = (PageState.FAILED.value, PageState.SKIPPED.value)
# url, depth, etag, last_modified, content_hash, fetched_at, document_id, sync_id, state
FrontierRow = Row[
    str, int, str | None, str | None, str | None, datetime | None, uuid.UUID | None,
    uuid.UUID | None, str,
]  # fmt: skip


class SourceRepository(BaseRepository[DocumentationSource]):
    model = DocumentationSource
    not_found_code = "source_not_found"

    async def due_for_resync(self, now: datetime) -> list[DocumentationSource]:
        return [
            source
            for source in (await self.session.execute(self._select())).scalars()
            if source.resync_interval_hours
            and (
                source.last_synced_at is None
                or (now - source.last_synced_at).total_seconds()
                >= source.resync_interval_hours * 3600
            )
        ]


class SyncJobRepository(BaseRepository[SyncJob]):
    model = SyncJob
    not_found_code = "sync_not_found"

    async def active_for(self, source_id: uuid.UUID) -> SyncJob | None:
        stmt = self._select().where(SyncJob.source_id == source_id, SyncJob.status.in_(ACTIVE_SYNC))
        return (await self.session.execute(stmt)).scalars().first()

    async def create_unless_active(self, source_id: uuid.UUID, *, force: bool) -> SyncJob | None:
        """A new pending sync of the source, or None when one is already pending or running.

        The database decides (the partial unique index on active syncs, with ON CONFLICT DO
        NOTHING): a check before inserting would let two requests, or a request and the
        re-sync schedule, both pass it. On PostgreSQL a concurrent insert waits for the other
        transaction; a failed statement would abort the caller's transaction, a skipped one
        does not.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(SyncJob)
            .values(
                id=uuid.uuid4(),
                business_id=self.business_id,
                source_id=source_id,
                force=force,
                status=SyncStatus.PENDING.value,
            )
            .on_conflict_do_nothing(
                index_elements=[SyncJob.source_id], index_where=text(ACTIVE_SYNC_WHERE)
            )
            .returning(SyncJob.id)
        )
        new_id = (await self.session.execute(statement)).scalar_one_or_none()
        return None if new_id is None else await self.get_or_raise(new_id)


class SyncPageRepository(BaseRepository[SyncPage]):
    model = SyncPage

    async def enqueue(self, source_id: uuid.UUID, sync_id: uuid.UUID, urls: dict[str, int]) -> int:
        """Queue ``url -> depth`` for this sync unless already queued by it; returns how many
        were new to the sync. Most links lead to pages the sync already has (every page links
        back to the index), so those are read as ``(url, sync_id)`` only; only rows an earlier
        sync left are loaded whole, to be queued again."""
        if not urls:
            return 0
        known = select(SyncPage.url, SyncPage.sync_id).where(
            self._tenant_condition(), SyncPage.source_id == source_id, SyncPage.url.in_(urls)
        )
        rows = (await self.session.execute(known)).all()
        taken = {url for url, owner in rows if owner == sync_id}
        others = [url for url, owner in rows if owner != sync_id]
        existing: dict[str, SyncPage] = {}
        if others:
            stale = self._select().where(SyncPage.source_id == source_id, SyncPage.url.in_(others))
            existing = {page.url: page for page in (await self.session.execute(stale)).scalars()}
        added = 0
        for url, depth in urls.items():
            if url in taken:
                continue
            page = existing.get(url)
            if page is None:
                self.session.add(
                    SyncPage(
                        business_id=self.business_id,
                        source_id=source_id,
                        url=url,
                        depth=depth,
                        sync_id=sync_id,
                    )
                )
            elif page.sync_id != sync_id:
                page.sync_id, page.state, page.depth = sync_id, PageState.QUEUED.value, depth
            else:
                continue
            added += 1
        await self.session.flush()
        return added

    def record(self, row: SyncPage, **changes: object) -> None:
        """Set a page row's columns without flushing: a checkpoint's rows go out together at
        its next statement (the unit of work sends same-shaped UPDATEs as one executemany)."""
        self._ensure_owned(row)
        for name, value in changes.items():
            self._column(name)
            setattr(row, name, value)

    async def queued(self, sync_id: uuid.UUID, limit: int) -> list[SyncPage]:
        stmt = (
            self._select()
            .where(SyncPage.sync_id == sync_id, SyncPage.state == PageState.QUEUED.value)
            .order_by(SyncPage.depth, SyncPage.created_at, SyncPage.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def frontier(self, source_id: uuid.UUID) -> list[FrontierRow]:
        """Every page row of the source, without its stored links: what the crawl needs to
        follow links before its checkpoints write them (``sources/frontier.py``)."""
        stmt = select(
            SyncPage.url, SyncPage.depth, SyncPage.etag, SyncPage.last_modified,
            SyncPage.content_hash, SyncPage.fetched_at, SyncPage.document_id, SyncPage.sync_id,
            SyncPage.state,
        ).where(self._tenant_condition(), SyncPage.source_id == source_id)  # fmt: skip
        return list((await self.session.execute(stmt)).all())

    async def in_sync(self, sync_id: uuid.UUID, urls: list[str]) -> list[SyncPage]:
        stmt = self._select().where(SyncPage.sync_id == sync_id, SyncPage.url.in_(urls))
        return list((await self.session.execute(stmt)).scalars())

    async def counts(self, sync_id: uuid.UUID) -> dict[str, int]:
        stmt = (
            select(SyncPage.state, func.count())
            .where(self._tenant_condition(), SyncPage.sync_id == sync_id)
            .group_by(SyncPage.state)
        )
        return {state: int(count) for state, count in (await self.session.execute(stmt)).all()}

    async def failures(self, sync_id: uuid.UUID, limit: int) -> list[SyncPage]:
        stmt = (
            self._select()
            .where(SyncPage.sync_id == sync_id, SyncPage.state.in_(SCRAPE_FAILURES))
            .order_by(SyncPage.url)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def vanished(self, source_id: uuid.UUID, sync_id: uuid.UUID) -> list[SyncPage]:
        """Pages this (completed) sync did not reach, or found gone (404/410)."""
        stmt = self._select().where(
            SyncPage.source_id == source_id,
            or_(
                SyncPage.sync_id.is_(None),
                SyncPage.sync_id != sync_id,
                SyncPage.state == PageState.GONE.value,
            ),
        )
        return list((await self.session.execute(stmt)).scalars())

    async def delete_rows(self, page_ids: list[uuid.UUID]) -> None:
        if page_ids:
            await self.session.execute(
                delete(SyncPage).where(self._tenant_condition(), SyncPage.id.in_(page_ids))
            )


async def businesses_with_scheduled_sources(session: AsyncSession) -> list[uuid.UUID]:
    """Every business with a source on a re-sync schedule (the scheduler's cross-tenant step)."""
    stmt = (
        select(DocumentationSource.business_id)
        .where(DocumentationSource.resync_interval_hours.is_not(None))
        .distinct()
    )
    return list((await session.execute(stmt)).scalars())


async def mark_failed(session: AsyncSession, sync_id: uuid.UUID, error: str) -> None:
    """Give up on a sync after its job's last attempt failed."""
    sync = await session.get(SyncJob, sync_id)
    if sync is not None and sync.status in ACTIVE_SYNC:
        sync.status, sync.error = SyncStatus.FAILED.value, error[:2000]
        sync.finished_at = datetime.now(UTC)
