"""Run a side-effecting request at most once per ``Idempotency-Key``.

The key is claimed by inserting its record in the request's own transaction, and the response is
stored in that same transaction. So the effect and its record commit together or not at all (a
failed request leaves nothing behind and can be retried with the same key), and a concurrent
duplicate waits on the first request's insert and then replays what it committed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.errors import Conflict, ValidationError
from aicaller.database.service import BaseService
from aicaller.idempotency.repository import IdempotencyRepository

DEFAULT_TTL = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any


def request_fingerprint(method: str, path: str, body: Any) -> str:
    """SHA-256 of the request as validated: formatting and key order do not matter."""
    canonical = json.dumps(
        {"method": method.upper(), "path": path, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, *, ttl: timedelta = DEFAULT_TTL
    ) -> None:
        super().__init__(session, business_id)
        self.records = IdempotencyRepository(session, business_id)
        self.ttl = ttl

    async def begin(self, key: str, fingerprint: str) -> StoredResponse | None:
        """Claim ``key`` for this request, or return the response stored under it.

        Raises 422 ``idempotency_key_reused`` when the key was used for a different request.
        """
        now = datetime.now(UTC)
        if await self.records.claim(key, fingerprint, now + self.ttl):
            return None
        record = await self.records.get_by_key(key)
        if record is not None and record.expires_at <= now:
            # Held by an expired record (not purged yet): the key starts over. Checked only on
            # a conflict, so the usual first use of a key costs one statement.
            await self.records.delete_expired_key(key, now)
            if await self.records.claim(key, fingerprint, now + self.ttl):
                return None
            record = await self.records.get_by_key(key)
        if record is None or record.response_status is None:
            # Only possible if the first request's transaction is still open on this very
            # session's connection, which the single-transaction design rules out.
            raise Conflict(
                "A request with this Idempotency-Key is still being processed",
                code="idempotency_in_progress",
            )
        if record.request_hash != fingerprint:
            raise ValidationError(
                "This Idempotency-Key was already used for a different request",
                code="idempotency_key_reused",
            )
        return StoredResponse(record.response_status, record.response_body)

    async def stored(self, key: str, fingerprint: str) -> StoredResponse | None:
        """The response already stored under ``key``, without claiming it (a read: callers
        that do slow work before writing look first, then ``begin``)."""
        record = await self.records.get_by_key(key)
        now = datetime.now(UTC)
        if record is None or record.response_status is None or record.expires_at <= now:
            return None
        if record.request_hash != fingerprint:
            raise ValidationError(
                "This Idempotency-Key was already used for a different request",
                code="idempotency_key_reused",
            )
        return StoredResponse(record.response_status, record.response_body)

    async def complete(self, key: str, status: int, body: Any) -> None:
        """Store the response of the request that claimed ``key`` (same transaction)."""
        await self.records.store_response(key, status, body)
