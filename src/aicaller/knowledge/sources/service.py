"""Documentation sources of one business: settings, starting and cancelling syncs, progress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.database.models import DocumentationSource, SyncJob
from aicaller.database.models.documentation import ACTIVE_SYNC, PageState, SyncStatus
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.knowledge.documents.repository import DocumentRepository
from aicaller.knowledge.errors import SyncError
from aicaller.knowledge.sources.repository import (
    SourceRepository,
    SyncJobRepository,
    SyncPageRepository,
)
from aicaller.knowledge.sources.schemas import (
    PageFailure,
    SourceCreate,
    SourceUpdate,
    SyncOut,
    SyncStart,
)
from aicaller.worker import enqueue

SYNC_JOB = "knowledge.sync_source"
MAX_FAILURES_SHOWN = 100


class DocumentationService(BaseService):
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        super().__init__(session, business_id)
        self.sources = SourceRepository(session, business_id)
        self.syncs = SyncJobRepository(session, business_id)
        self.pages = SyncPageRepository(session, business_id)
        self.documents = DocumentRepository(session, business_id)

    # -- sources ----------------------------------------------------------------------------------
    async def create(self, data: SourceCreate) -> DocumentationSource:
        return await self.sources.create(**data.model_dump(exclude_none=True))

    async def page(self, *, limit: int, cursor: str | None) -> Page[DocumentationSource]:
        return await self.sources.paginate(limit=limit, cursor=cursor)

    async def get(self, source_id: uuid.UUID) -> DocumentationSource:
        return await self.sources.get_or_raise(source_id)

    async def update(self, source_id: uuid.UUID, data: SourceUpdate) -> DocumentationSource:
        source = await self.sources.get_or_raise(source_id)
        return await self.sources.update(source, **data.model_dump(exclude_unset=True))

    async def delete(self, source_id: uuid.UUID) -> None:
        """Delete the source with its syncs, crawl state and crawled pages."""
        source = await self.sources.get_or_raise(source_id)
        await self.documents.delete_for_source(source.id)
        await self.sources.delete(source)
        await BusinessService(self.session, self.business_id).bump_knowledge_version()

    # -- syncs ------------------------------------------------------------------------------------
    async def start_sync(self, source_id: uuid.UUID, data: SyncStart) -> SyncJob:
        """A new sync, run as a background job once this transaction commits."""
        source = await self.sources.get_or_raise(source_id)
        if await self.syncs.active_for(source.id) is not None:
            raise SyncError("A sync of this source is already running", code="sync_in_progress")
        sync = await self.syncs.create(source_id=source.id, force=data.force)
        await enqueue(
            self.session,
            SYNC_JOB,
            {"sync_id": str(sync.id)},
            business_id=self.business_id,
            dedupe_key=f"sync:{sync.id}",
        )
        return sync

    async def get_sync(self, sync_id: uuid.UUID) -> SyncJob:
        return await self.syncs.get_or_raise(sync_id)

    async def cancel_sync(self, sync_id: uuid.UUID) -> SyncJob:
        """Stop the sync at its next batch; pages already done stay indexed, nothing is pruned."""
        sync = await self.syncs.get_or_raise(sync_id)
        if sync.status not in ACTIVE_SYNC:
            raise SyncError(f"The sync is already {sync.status}", code="sync_not_active")
        now = datetime.now(UTC)
        return await self.syncs.update(
            sync, status=SyncStatus.CANCELLED.value, finished_at=now, current_url=None
        )

    async def describe(self, sync: SyncJob) -> SyncOut:
        """The sync with its frontier size, rate, ETA and the pages it could not use."""
        counts = await self.pages.counts(sync.id)
        queued = counts.get(PageState.QUEUED.value, 0)
        processed = sum(n for state, n in counts.items() if state != PageState.QUEUED.value)
        rate = eta = None
        if sync.started_at is not None and processed:
            end = sync.finished_at or datetime.now(UTC)
            elapsed = max((end - sync.started_at).total_seconds(), 1e-3)
            rate = round(processed / elapsed, 2)
            eta = round(queued / rate, 1) if sync.status in ACTIVE_SYNC and rate else None
        failures = [
            PageFailure(url=p.url, state=p.state, code=p.error_code, message=p.error_message)
            for p in await self.pages.failures(sync.id, MAX_FAILURES_SHOWN)
        ]
        fields: dict[str, Any] = {c.key: getattr(sync, c.key) for c in sync.__table__.c}
        return SyncOut.model_validate(
            {**fields, "queued": queued, "pages_per_second": rate, "eta_seconds": eta,
             "failures": failures}
        )  # fmt: skip

    async def start_due_syncs(self) -> int:
        """Start a sync for every source whose re-sync interval has passed (the schedule)."""
        started = 0
        for source in await self.sources.due_for_resync(datetime.now(UTC)):
            if await self.syncs.active_for(source.id) is None:
                await self.start_sync(source.id, SyncStart())
                started += 1
        return started
