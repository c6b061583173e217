"""Documentation sources of one business: settings, starting and cancelling syncs, progress.

A source's URL passes the SSRF guard when it is set (created or changed): an address the
crawler may never fetch (loopback, private, link-local/metadata, ...) is a 422 at once rather
than a failed sync later. The guard runs again on every fetch, as DNS can change. A host name
that does not resolve (yet), or not within ``URL_CHECK_SECONDS``, is accepted: the API process
may not resolve names the way the workers do, and the sync reports a name that stays unknown.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.core.errors import UnsafeUrlError, UpstreamHttpError
from aicaller.core.http import SafeHttpClient, display_url
from aicaller.core.logging import get_logger
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
URL_CHECK_SECONDS = 3.0  # the longest a create or update waits for DNS
logger = get_logger("aicaller.knowledge.sources")


class DocumentationService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        *,
        http: SafeHttpClient | None = None,
    ) -> None:
        """``http`` carries the SSRF guard's settings; without it URLs are not checked (the
        re-sync schedule, which never sets one)."""
        super().__init__(session, business_id)
        self.http = http
        self.sources = SourceRepository(session, business_id)
        self.syncs = SyncJobRepository(session, business_id)
        self.pages = SyncPageRepository(session, business_id)
        self.documents = DocumentRepository(session, business_id)

    # -- sources ----------------------------------------------------------------------------------
    async def create(self, data: SourceCreate) -> DocumentationSource:
        await self._check_url(data.url)
        return await self.sources.create(**data.to_store())

    async def page(self, *, limit: int, cursor: str | None) -> Page[DocumentationSource]:
        return await self.sources.paginate(limit=limit, cursor=cursor)

    async def get(self, source_id: uuid.UUID) -> DocumentationSource:
        return await self.sources.get_or_raise(source_id)

    async def update(self, source_id: uuid.UUID, data: SourceUpdate) -> DocumentationSource:
        source = await self.sources.get_or_raise(source_id)
        if data.url is not None and data.url != source.url:
            await self._check_url(data.url)
        return await self.sources.update(source, **data.to_store())

    async def _check_url(self, url: str) -> None:
        """Refuse a URL the crawler could never fetch (see the module docstring)."""
        if self.http is None:
            return
        try:
            async with asyncio.timeout(URL_CHECK_SECONDS):
                await self.http.check_url(url)
        except UnsafeUrlError as exc:
            where = {"loc": ["body", "url"], "msg": exc.message, "type": exc.code}
            raise UnsafeUrlError(exc.message, details=[where]) from exc
        except (UpstreamHttpError, TimeoutError) as exc:
            logger.info("source_url_not_resolved", url=display_url(url), error=type(exc).__name__)

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
        sync = await self.syncs.create_unless_active(source.id, force=data.force)
        if sync is None:
            raise SyncError("A sync of this source is already running", code="sync_in_progress")
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
            if await self.syncs.active_for(source.id) is not None:
                continue  # the usual case, without a conflict to resolve
            try:
                await self.start_sync(source.id, SyncStart())
            except SyncError:
                # Started by someone else since the check (a request, another scheduler).
                logger.info("resync_skipped_sync_active", source_id=str(source.id))
                continue
            started += 1
        return started
