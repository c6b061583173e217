"""Reading and expiring recordings; the files are in the install's ``RecordingStore``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import recording_retention
from aicaller.calls.service import CallService
from aicaller.core.errors import NotFound
from aicaller.core.recordings import RecordingStore
from aicaller.database.service import BaseService


class RecordingService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, store: RecordingStore
    ) -> None:
        super().__init__(session, business_id)
        self.store = store
        self.calls = CallService(session, business_id)

    async def file(self, call_id: uuid.UUID) -> Path:
        """The call's finished recording; 404 for another business's call or none."""
        await self.calls.get(call_id)
        path = self.store.path(self.business_id, call_id)
        if path is None:
            raise NotFound("This call has no recording", code="recording_not_found")
        return path

    def has_file(self, call_id: uuid.UUID) -> bool:
        """Whether a call already read in this business has a finished recording (no SQL:
        the page that asks has loaded the call)."""
        return self.store.path(self.business_id, call_id) is not None


async def expire_recordings(session: AsyncSession, store: RecordingStore, now: datetime) -> int:
    """Remove every recording older than its business's retention; returns how many."""
    removed = 0
    for business_id, days in await recording_retention(session):
        removed += store.delete_older_than(business_id, now - timedelta(days=days))
    return removed


def utc_now() -> datetime:
    return datetime.now(UTC)
