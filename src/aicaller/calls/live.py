"""The record side of a live conversation: the call, its turns, and what the agent did.

The conversation engine (``aicaller.agent``) decides what to say; this service writes it down:
it opens web and inbound call records, appends turns, files the agent's escalations (with the
summary so far as a note for the person who takes over), records transfers and hang-ups, and
locks a call while one turn is processed so two turns of one call never interleave.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.calls import repository as calls_repository
from aicaller.calls.escalations.repository import EscalationRepository
from aicaller.calls.notes.repository import NoteRepository
from aicaller.calls.repository import CallRepository, TranscriptTurnRepository
from aicaller.calls.service import ALLOWED_TRANSITIONS, TERMINAL, CallService
from aicaller.core.cache import AppCache
from aicaller.core.errors import Conflict
from aicaller.database.models import Call, Escalation, TranscriptTurn
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.escalation import EscalationStatus
from aicaller.database.models.transcript_turn import Speaker
from aicaller.database.service import BaseService

WEB_ENDPOINT = "web"  # from/to of a browser or CLI test call, which has no phone numbers


@dataclass(frozen=True)
class NewTurn:
    """A turn about to be written (its sequence number and time are set when it is)."""

    speaker: Speaker
    text: str
    intent: str | None = None
    confidence: float | None = None
    sources: Sequence[str] = ()


def _turn_values(call: Call, turn: NewTurn) -> dict[str, Any]:
    offset = int((datetime.now(UTC) - (call.answered_at or call.started_at)).total_seconds())
    return {
        "speaker": turn.speaker.value,
        "text": turn.text,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "sources": list(turn.sources),
        "offset_ms": max(0, offset * 1000),
    }


class LiveCallService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.calls = CallRepository(session, business_id)
        self.turns = TranscriptTurnRepository(session, business_id)
        self.notes = NoteRepository(session, business_id)
        self.escalations = EscalationRepository(session, business_id)
        self.records = CallService(session, business_id, cache)

    async def open_web_call(self, metadata: dict[str, Any]) -> Call:
        """A test call from the browser or the CLI: answered at once."""
        now = datetime.now(UTC)
        call = await self.calls.create(
            direction=CallDirection.WEB.value,
            from_number=WEB_ENDPOINT,
            to_number=WEB_ENDPOINT,
            status=CallStatus.IN_PROGRESS.value,
            provider=WEB_ENDPOINT,
            started_at=now,
            answered_at=now,
            call_metadata=metadata,
        )
        self.records.invalidate()
        return call

    async def open_inbound_call(
        self, *, provider: str, provider_call_id: str, from_number: str, to_number: str
    ) -> Call:
        now = datetime.now(UTC)
        call = await self.calls.create(
            direction=CallDirection.INBOUND.value,
            from_number=from_number[:20],
            to_number=to_number[:20],
            status=CallStatus.IN_PROGRESS.value,
            provider=provider,
            provider_call_id=provider_call_id,
            started_at=now,
            answered_at=now,
            call_metadata={},
        )
        self.records.invalidate()
        return call

    async def locked(self, call_id: uuid.UUID) -> Call:
        """The call, locked until the transaction ends (PostgreSQL; SQLite writes one at a
        time anyway), so concurrent turns of one call run one after the other."""
        return await self.calls.get_for_update(call_id)

    async def get(self, call_id: uuid.UUID) -> Call:
        """The call row, without locking it."""
        return await self.calls.get_or_raise(call_id)

    async def last_sequence(self, call_id: uuid.UUID) -> int | None:
        """The sequence number of the call's latest turn (None before the first)."""
        return await self.turns.last_sequence(call_id)

    async def history(self, call_id: uuid.UUID) -> Sequence[TranscriptTurn]:
        return await self.turns.for_call(call_id)

    async def add_turn(
        self,
        call: Call,
        speaker: Speaker,
        text: str,
        *,
        intent: str | None = None,
        confidence: float | None = None,
        sources: Sequence[str] = (),
    ) -> TranscriptTurn:
        """Add a turn after the call's last one."""
        return await self.turns.append(
            call.id, **_turn_values(call, NewTurn(speaker, text, intent, confidence, sources))
        )

    async def add_turns(
        self, call: Call, turns: Sequence[NewTurn], *, after: int | None
    ) -> list[TranscriptTurn]:
        """Add turns numbered on from ``after`` (the call's last sequence, None before the
        first), in one statement: the caller's words and the agent's reply are one exchange."""
        start = 0 if after is None else after + 1
        values = [
            {**_turn_values(call, turn), "sequence": start + index}
            for index, turn in enumerate(turns)
        ]
        return await self.turns.insert_numbered(call.id, values)

    async def escalate(
        self, call: Call, *, reason: str, priority: str, note: str | None
    ) -> Escalation:
        """An escalation filed by the agent, with ``note`` (the summary so far) for the person
        who takes it."""
        escalation = await self.escalations.create(
            call_id=call.id,
            reason=reason[:2000],
            priority=priority,
            status=EscalationStatus.OPEN.value,
            created_by_id=None,
        )
        if note:
            await self.notes.create(call_id=call.id, author_id=None, body=note)
        self.records.invalidate()
        return escalation

    async def record_transfer(
        self, call: Call, to_number: str, reason: str | None
    ) -> TranscriptTurn:
        """The agent handed the call to ``to_number``: its part of the call is over."""
        if call.status != CallStatus.IN_PROGRESS:
            raise Conflict(f"The call is already {call.status}", code="call_not_active")
        text = f"Transferred to {to_number}" + (f": {reason}" if reason else "")
        turn = await self.add_turn(call, Speaker.SYSTEM, text)
        metadata = {**call.call_metadata, "transferred_to": to_number}
        await self.records.change_status(
            call, CallStatus.COMPLETED, end_reason="transferred", call_metadata=metadata
        )
        return turn

    async def cut_short(
        self, call_id: uuid.UUID, turn_id: uuid.UUID, heard: str
    ) -> TranscriptTurn | None:
        """An agent turn the caller interrupted keeps only what they heard (None: no such
        agent turn of this call in this business)."""
        turn = await self.turns.get(turn_id)
        if turn is None or turn.call_id != call_id or turn.speaker != Speaker.AGENT:
            return None
        return await self.turns.update(turn, text=heard)

    async def finish(self, call: Call, end_reason: str) -> None:
        """End a call in progress (the agent or the caller hung up)."""
        if call.status == CallStatus.IN_PROGRESS:
            await self.records.change_status(call, CallStatus.COMPLETED, end_reason=end_reason)

    async def answered(self, call: Call, provider_call_id: str) -> None:
        """An outbound call was picked up (the carrier asked what to say)."""
        if call.provider_call_id is None:
            await self.calls.update(call, provider_call_id=provider_call_id)
        if call.status in (CallStatus.QUEUED, CallStatus.RINGING):
            await self.records.change_status(call, CallStatus.IN_PROGRESS)

    async def carrier_status(
        self, call: Call, status: CallStatus, duration_seconds: int | None
    ) -> bool:
        """Apply a status the carrier reported; False when it changes nothing (a repeat, or a
        late report of a state the call has already left, e.g. after the agent hung up)."""
        current = CallStatus(call.status)
        if status not in ALLOWED_TRANSITIONS[current]:
            if duration_seconds is not None and status is CallStatus.COMPLETED:
                carrier = call.call_metadata.get("carrier_duration_seconds")
                if carrier != duration_seconds:
                    metadata = {**call.call_metadata, "carrier_duration_seconds": duration_seconds}
                    await self.calls.update(call, call_metadata=metadata)
                    return True
            return False
        if duration_seconds is not None and status in TERMINAL:
            await self.calls.update(call, duration_seconds=duration_seconds)
        end_reason = None
        if status in TERMINAL:
            end_reason = "caller_hangup" if status is CallStatus.COMPLETED else status.value
        await self.records.change_status(call, status, end_reason=end_reason)
        return True


async def find_by_provider_id(
    session: AsyncSession, provider: str, provider_call_id: str
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(business id, call id) of a carrier's call, before the tenant is known (webhooks)."""
    return await calls_repository.call_by_provider_id(session, provider, provider_call_id)


async def find_call(session: AsyncSession, call_id: uuid.UUID) -> uuid.UUID | None:
    """The business of a call, before the tenant is known (webhook URLs carry the call id)."""
    return await calls_repository.business_of_call(session, call_id)
