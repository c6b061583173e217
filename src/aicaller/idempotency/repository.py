"""Idempotency records: claiming a key, storing the response, and purging expired keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import IdempotencyRecord
from aicaller.database.repository import BaseRepository
from aicaller.database.types import utcnow


class IdempotencyRepository(BaseRepository[IdempotencyRecord]):
    model = IdempotencyRecord

    async def claim(self, key: str, request_hash: str, expires_at: datetime) -> bool:
        """Insert the key for this request; False when the business already holds it.

        ON CONFLICT DO NOTHING waits for a concurrent transaction that inserted the same key and
        then does nothing if it committed (or inserts if it rolled back): duplicates queue behind
        the first request instead of failing, and never abort the caller's transaction.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(IdempotencyRecord)
            .values(
                business_id=self.business_id,
                key=key,
                request_hash=request_hash,
                expires_at=expires_at,
            )
            .on_conflict_do_nothing(index_elements=["business_id", "key"])
            .returning(IdempotencyRecord.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def get_by_key(self, key: str) -> IdempotencyRecord | None:
        statement = (
            self._select()
            .where(IdempotencyRecord.key == key)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def delete_expired_key(self, key: str, now: datetime) -> None:
        await self.session.execute(
            delete(IdempotencyRecord).where(
                self._tenant_condition(),
                IdempotencyRecord.key == key,
                IdempotencyRecord.expires_at <= now,
            )
        )

    async def store_response(self, key: str, status: int, body: Any) -> None:
        """One UPDATE: the record was claimed earlier in this same transaction."""
        result = cast(
            "CursorResult[Any]",
            await self.session.execute(
                update(IdempotencyRecord)
                .where(self._tenant_condition(), IdempotencyRecord.key == key)
                .values(response_status=status, response_body=body, updated_at=utcnow())
            ),
        )
        if result.rowcount != 1:
            raise RuntimeError(f"idempotency key {key!r} was not claimed")


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete every business's expired records (maintenance, hence not tenant-scoped)."""
    result = cast(
        "CursorResult[Any]",
        await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)),
    )
    return int(result.rowcount or 0)
