"""Streamed call exports: batches of the calls list, each in its own short transaction.

The export walks the same keyset pages as ``GET /calls`` (same filters and sort, through
``CallService.list``), so memory holds one batch whatever the number of rows, and no database
transaction stays open while the client reads.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from aicaller.analytics.export_format import ExportOptions, ExportWriter
from aicaller.analytics.queries.exports import ExportQueries
from aicaller.calls.service import CallListQuery, CallService
from aicaller.config import Settings
from aicaller.core.cache import AppCache
from aicaller.core.errors import ValidationError
from aicaller.database.session import Database


class ExportService:
    def __init__(
        self, database: Database, business_id: uuid.UUID, cache: AppCache, settings: Settings
    ) -> None:
        self.database = database
        self.business_id = business_id
        self.cache = cache
        self.settings = settings

    def check(self, max_rows: int | None) -> int:
        """The row cap of this export (422 above the configured one)."""
        cap = self.settings.analytics_export_max_rows
        if max_rows is not None and max_rows > cap:
            raise ValidationError(f"max_rows must be at most {cap}", code="export_too_many_rows")
        return max_rows or cap

    async def stream(self, query: CallListQuery, options: ExportOptions) -> AsyncIterator[bytes]:
        writer = ExportWriter(options)
        if header := writer.header():
            yield header
        cursor: str | None = None
        sent = 0
        while sent < options.max_rows:
            limit = min(self.settings.analytics_export_batch_size, options.max_rows - sent)
            async with self.database.transaction() as session:
                calls = CallService(session, self.business_id, self.cache)
                rows, cursor = await calls.list(query, limit=limit, cursor=cursor)
                extras = await ExportQueries(session, self.business_id).extras(
                    [row["id"] for row in rows], options.include
                )
            if rows:
                yield writer.batch(rows, extras)
            sent += len(rows)
            if cursor is None:
                break
