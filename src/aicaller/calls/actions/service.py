"""Call actions that reach the carrier: place, end and transfer a call.

Each action writes the record in the request's transaction and talks to the telephony provider
inside it, record first: a database error stops before a real call is placed, and a provider
error (502) rolls the record back, so the database never claims a call the carrier refused.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.calls.actions.carrier import TelephonyProvider
from aicaller.calls.actions.schemas import CallEnd, CallInitiate, CallTransfer
from aicaller.calls.live import WEB_ENDPOINT
from aicaller.calls.repository import CallRepository, TranscriptTurnRepository
from aicaller.calls.service import CallService
from aicaller.core.cache import AppCache
from aicaller.core.errors import Conflict, ValidationError
from aicaller.database.models import Call
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.transcript_turn import Speaker
from aicaller.database.service import BaseService

ACTIVE = frozenset({CallStatus.QUEUED, CallStatus.RINGING, CallStatus.IN_PROGRESS})


class ActionService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        cache: AppCache | None,
        provider: TelephonyProvider,
    ) -> None:
        super().__init__(session, business_id)
        self.provider = provider
        self.cache = cache
        self.records = CallService(session, business_id, cache)
        self.calls = CallRepository(session, business_id)
        self.turns = TranscriptTurnRepository(session, business_id)

    async def initiate(self, data: CallInitiate) -> Call:
        """Record an outbound call, then ask the provider to place it."""
        call = await self.calls.create(
            direction=CallDirection.OUTBOUND.value,
            from_number=data.from_number or "",
            to_number=data.to_number,
            status=CallStatus.QUEUED.value,
            provider=self.provider.name,
            started_at=datetime.now(UTC),
            call_metadata=data.metadata,
        )
        placed = await self.provider.place_call(
            business_id=self.business_id,
            call_id=call.id,
            to_number=data.to_number,
            from_number=data.from_number,
            metadata=data.metadata,
        )
        await self.calls.update(
            call, provider_call_id=placed.provider_call_id, from_number=placed.from_number
        )
        status = CallStatus(placed.status.value)
        if status is CallStatus.QUEUED:
            self.records.invalidate()
        else:
            await self.records.change_status(call, status)
        return await self.calls.get_detail(call.id)

    async def end(self, call_id: uuid.UUID, data: CallEnd) -> Call:
        """Hang up an answered call (completed) or cancel one not yet answered (canceled)."""
        call, provider_call_id = await self._controllable(call_id)
        if CallStatus(call.status) not in ACTIVE:
            raise Conflict(f"The call is already {call.status}", code="call_not_active")
        if provider_call_id is not None:
            await self.provider.end_call(provider_call_id, business_id=self.business_id)
        answered = call.status == CallStatus.IN_PROGRESS
        final = CallStatus.COMPLETED if answered else CallStatus.CANCELED
        await self.records.change_status(call, final, end_reason=data.end_reason)
        return await self.calls.get_detail(call.id)

    async def transfer(self, call_id: uuid.UUID, data: CallTransfer) -> Call:
        """Hand a live call to a person; the agent's part of the call ends (``transferred``)."""
        call, provider_call_id = await self._controllable(call_id)
        if call.status != CallStatus.IN_PROGRESS:
            raise Conflict(
                f"Only a call in progress can be transferred; this one is {call.status}",
                code="call_not_in_progress",
            )
        target = data.to_number or await self._default_transfer_target()
        if provider_call_id is not None:
            await self.provider.transfer_call(
                provider_call_id, target, business_id=self.business_id
            )
        note = f"Transferred to {target}" + (f": {data.reason}" if data.reason else "")
        await self.turns.append(call.id, speaker=Speaker.SYSTEM.value, text=note)
        metadata = {**call.call_metadata, "transferred_to": target}
        await self.records.change_status(
            call, CallStatus.COMPLETED, end_reason="transferred", call_metadata=metadata
        )
        return await self.calls.get_detail(call.id)

    async def _controllable(self, call_id: uuid.UUID) -> tuple[Call, str | None]:
        """The call and its provider's id for it (None for a web test call, which has no
        carrier): 409 unless the active provider placed it."""
        call = await self.calls.get_or_raise(call_id)
        if call.direction == CallDirection.WEB and call.provider == WEB_ENDPOINT:
            return call, None
        if call.provider != self.provider.name or call.provider_call_id is None:
            raise Conflict(
                f"This call was not placed through the active telephony provider "
                f"({self.provider.name}); change its record with PATCH instead",
                code="call_not_controllable",
            )
        return call, call.provider_call_id

    async def _default_transfer_target(self) -> str:
        config = await BusinessService(self.session, self.business_id, self.cache).get_config()
        if not config.escalation_numbers:
            raise ValidationError(
                "Give to_number, or set escalation_numbers in the business configuration",
                code="no_transfer_target",
            )
        return config.escalation_numbers[0]
