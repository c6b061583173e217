"""``Idempotency-Key`` on POSTs with side effects: the HTTP side of aicaller.idempotency.

A route takes ``IdempotencyDep`` and does::

    if (replay := await idempotency.replay(body)) is not None:
        return replay
    ...do the work...
    return await idempotency.respond(201, result)

Without the header the request simply runs. With it, the first request's status and body are
stored in its own transaction and every retry (same key, same request) gets them back with
``Idempotent-Replayed: true``; the same key with a different request is a 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from aicaller.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from aicaller.idempotency.service import IdempotencyService, request_fingerprint

REPLAYED_HEADER = "Idempotent-Replayed"

KeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Any unique string (a UUID is ideal): retries with the same key and body "
        "replay the first response instead of repeating the action. Kept for 24 hours.",
    ),
]


@dataclass(slots=True)
class Idempotency:
    key: str | None
    service: IdempotencyService
    method: str
    path: str

    async def replay(self, body: BaseModel | None) -> JSONResponse | None:
        """Claim the key, or the stored response of an earlier request with this key."""
        if self.key is None:
            return None
        payload = body.model_dump(mode="json") if body is not None else None
        fingerprint = request_fingerprint(self.method, self.path, payload)
        stored = await self.service.begin(self.key, fingerprint)
        if stored is None:
            return None
        return JSONResponse(
            stored.body, status_code=stored.status, headers={REPLAYED_HEADER: "true"}
        )

    async def respond(self, status: int, result: BaseModel) -> JSONResponse:
        """The response, stored under the key (if any) in the request's transaction."""
        body = result.model_dump(mode="json")
        if self.key is not None:
            await self.service.complete(self.key, status, body)
        return JSONResponse(body, status_code=status)


async def _idempotency(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
    key: KeyHeader = None,
) -> Idempotency:
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    service = IdempotencyService(session, principal.business_id, ttl=ttl)
    return Idempotency(key, service, request.method, request.url.path)


IdempotencyDep = Annotated[Idempotency, Depends(_idempotency)]
