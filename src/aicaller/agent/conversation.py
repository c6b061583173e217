"""One turn of a live call: the caller's words in, the agent's answer out, the record kept.

Used by web test calls, the live WebSocket and Twilio's webhooks alike. A turn is worked out
first, reading only (the transcript so far, the configuration, the business's agent; an LLM may
take seconds and holds no lock meanwhile), then applied under the call's lock: both turns
stored (refused if another turn was stored in between), an unanswered question recorded as a
knowledge gap, and the reply's action carried out: an escalation with the summary so far as a
note for the person who takes it, a transfer (which ends the agent's part of the call), or the
end of the call. Subscribers of the call's live channel hear about every turn once the
transaction commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.agent.agents import Agents
from aicaller.agent.analysis import summarize
from aicaller.agent.knowledge import BusinessKnowledge
from aicaller.agent.protocol import (
    AgentAction,
    AgentReply,
    Intent,
    PastTurn,
    TurnContext,
)
from aicaller.businesses.service import BusinessService
from aicaller.calls.live import LiveCallService, NewTurn
from aicaller.calls.service import CallService
from aicaller.core.cache import AppCache, run_after_commit
from aicaller.core.errors import Conflict
from aicaller.core.events import EventBus
from aicaller.database.models import Call, TranscriptTurn
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.transcript_turn import Speaker
from aicaller.database.service import BaseService
from aicaller.knowledge.gaps.service import KnowledgeGapService

STILL_THERE = "Sorry, I didn't catch that. Are you still there?"
TIME_UP = (
    "I'm sorry, we've reached the time limit for this call. Please call back if you need "
    "anything else. Goodbye!"
)
SILENT_GOODBYE = "I haven't heard anything, so I'll end the call now. Please call back any time."


def live_channel(call_id: uuid.UUID) -> str:
    return f"call:{call_id}:live"


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """A call as the live WebSocket starts it: its events so far and what may happen next."""

    events: list[dict[str, Any]]
    in_progress: bool
    test_call: bool


@dataclass(frozen=True, slots=True)
class PreparedTurn:
    """An agent's reply, worked out from the transcript as it was then."""

    call_id: uuid.UUID
    utterance: str
    reply: AgentReply
    history: list[PastTurn]
    last_sequence: int | None  # of the transcript the reply was worked out from


@dataclass(frozen=True, slots=True)
class TurnResult:
    call: Call
    reply: AgentReply
    turns: list[TranscriptTurn]  # what this turn added, in order

    @property
    def ended(self) -> bool:
        return self.call.status != CallStatus.IN_PROGRESS


def _require_active(call: Call) -> None:
    if call.status != CallStatus.IN_PROGRESS:
        raise Conflict(f"The call is {call.status}, not in progress", code="call_not_active")


def _past(turns: list[TranscriptTurn]) -> list[PastTurn]:
    return [PastTurn(turn.speaker, turn.text, turn.intent) for turn in turns]


def turn_event(turn: TranscriptTurn) -> dict[str, Any]:
    return {
        "type": "turn",
        "id": str(turn.id),
        "sequence": turn.sequence,
        "speaker": turn.speaker,
        "text": turn.text,
        "intent": turn.intent,
        "sources": list(turn.sources),
    }


class ConversationService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        *,
        agents: Agents,
        cache: AppCache | None = None,
        events: EventBus | None = None,
    ) -> None:
        super().__init__(session, business_id)
        self.agents = agents
        self.events = events
        self.live = LiveCallService(session, business_id, cache)
        self.calls = CallService(session, business_id, cache)
        self.business = BusinessService(session, business_id, cache)
        self.knowledge = BusinessKnowledge(session, business_id, cache)
        self.gaps = KnowledgeGapService(session, business_id)

    async def snapshot(self, call_id: uuid.UUID) -> LiveSnapshot:
        call = await self.calls.get(call_id)
        events = [turn_event(turn) for turn in call.turns]
        events.append({"type": "call", "status": call.status, "end_reason": call.end_reason})
        return LiveSnapshot(
            events,
            in_progress=call.status == CallStatus.IN_PROGRESS,
            test_call=call.direction == CallDirection.WEB,
        )

    async def require_test_call(self, call_id: uuid.UUID) -> None:
        """409 for a phone call: its caller speaks on the line, not through the API."""
        call = await self.live.get(call_id)
        if call.direction != CallDirection.WEB:
            raise Conflict(
                "Only web test calls take messages; a phone call's caller speaks on the line",
                code="not_a_test_call",
            )

    async def start_web_call(self, metadata: dict[str, Any]) -> TurnResult:
        return await self.greet(await self.live.open_web_call(metadata))

    async def greet(self, call: Call) -> TurnResult:
        config = await self.business.get_config()
        reply = self.agents.for_config(config).greet(config)
        turn = await self.live.add_turn(call, Speaker.AGENT, reply.text, intent=reply.intent)
        return self._done(call, reply, [turn])

    async def respond(
        self, call_id: uuid.UUID, utterance: str, *, confidence: float | None = None
    ) -> TurnResult:
        """The agent's answer to what the caller just said."""
        return await self.apply(await self.prepare(call_id, utterance), confidence=confidence)

    async def prepare(
        self, call_id: uuid.UUID, utterance: str, *, call: Call | None = None
    ) -> PreparedTurn:
        """Work out the reply, reading only: the agent (an LLM may take seconds) runs before
        any write, so no lock is held meanwhile (on SQLite the first write takes the whole
        database's write lock). ``call``: the call's row when the caller just read it."""
        call = call if call is not None and call.id == call_id else await self.live.get(call_id)
        _require_active(call)
        config = await self.business.get_config()
        turns = list(await self.live.history(call.id))
        history, last = _past(turns), (turns[-1].sequence if turns else None)
        now = datetime.now(UTC)
        started = call.answered_at or call.started_at
        if (now - started).total_seconds() >= config.max_call_duration_seconds:
            reply = AgentReply(TIME_UP, Intent.GOODBYE, AgentAction.END, end_reason="max_duration")
            return PreparedTurn(call.id, utterance, reply, history, last)
        context = TurnContext(config, history, utterance, now, self.knowledge)
        reply = await self.agents.for_config(config).reply(context)
        return PreparedTurn(call.id, utterance, reply, history, last)

    async def apply(self, prepared: PreparedTurn, *, confidence: float | None = None) -> TurnResult:
        """Store a prepared turn and carry out its action, under the call's lock; 409
        ``call_busy`` if another turn of the call was stored since it was prepared."""
        call = await self._active(prepared.call_id)
        if await self.live.last_sequence(call.id) != prepared.last_sequence:
            raise Conflict(
                "Another turn of this call was taken at the same time; send it again",
                code="call_busy",
            )
        reply, utterance, history = prepared.reply, prepared.utterance, prepared.history
        added = await self.live.add_turns(
            call,
            [
                NewTurn(Speaker.CALLER, utterance, reply.caller_intent, confidence),
                NewTurn(Speaker.AGENT, reply.text, reply.intent, reply.confidence, reply.sources),
            ],
            after=prepared.last_sequence,
        )
        if reply.unanswered_question:
            await self.gaps.record(reply.unanswered_question, call_id=call.id)
        added += await self._act(call, reply, [*history, *_past(added)])
        return self._done(call, reply, added)

    async def silence(self, call_id: uuid.UUID, *, prompts: int) -> TurnResult:
        """The caller said nothing: ask if they are there, ``prompts`` times, then hang up."""
        call = await self._active(call_id)
        history = list(await self.live.history(call.id))
        asked = 0
        for turn in reversed(history):
            if turn.speaker == Speaker.CALLER:
                break
            asked += turn.intent == Intent.SILENCE_PROMPT
        if asked < prompts:
            reply = AgentReply(STILL_THERE, Intent.SILENCE_PROMPT)
        else:
            reply = AgentReply(SILENT_GOODBYE, Intent.GOODBYE, AgentAction.END)
        turn = await self.live.add_turn(call, Speaker.AGENT, reply.text, intent=reply.intent)
        if reply.action is AgentAction.END:
            await self.live.finish(call, "caller_silent")
        return self._done(call, reply, [turn])

    async def cut_short(self, call_id: uuid.UUID, turn_id: uuid.UUID, heard: str) -> None:
        """The caller spoke over the agent (a voice call): its turn keeps only the sentences
        the caller heard, so the next turns do not assume the rest was said."""
        turn = await self.live.cut_short(call_id, turn_id, heard)
        if turn is not None and self.events is not None:
            events, message = self.events, {**turn_event(turn), "type": "turn_cut"}

            async def publish() -> None:
                await events.publish(live_channel(call_id), message)

            run_after_commit(self.session, publish)

    async def hang_up(self, call_id: uuid.UUID, end_reason: str = "caller_hangup") -> Call:
        call = await self.live.locked(call_id)
        await self.live.finish(call, end_reason)
        self._publish(call, [])
        return call

    async def _active(self, call_id: uuid.UUID) -> Call:
        call = await self.live.locked(call_id)
        _require_active(call)
        return call

    async def _act(
        self, call: Call, reply: AgentReply, transcript: list[PastTurn]
    ) -> list[TranscriptTurn]:
        if reply.action is AgentAction.END:
            await self.live.finish(call, reply.end_reason or "agent_hangup")
        elif reply.action in (AgentAction.ESCALATE, AgentAction.TRANSFER):
            note = "For the person taking over. " + summarize(transcript, None)
            await self.live.escalate(
                call,
                reason=reply.escalation_reason or "The agent handed the call over",
                priority=reply.escalation_priority,
                note=note,
            )
            if reply.action is AgentAction.TRANSFER and reply.transfer_to:
                return [
                    await self.live.record_transfer(
                        call, reply.transfer_to, reply.escalation_reason
                    )
                ]
        return []

    def _done(self, call: Call, reply: AgentReply, turns: list[TranscriptTurn]) -> TurnResult:
        self._publish(call, turns)
        return TurnResult(call, reply, turns)

    def _publish(self, call: Call, turns: list[TranscriptTurn]) -> None:
        events = self.events
        if events is None:
            return
        messages = [turn_event(turn) for turn in turns]
        messages.append({"type": "call", "status": call.status, "end_reason": call.end_reason})

        async def publish() -> None:
            for message in messages:
                await events.publish(live_channel(call.id), message)

        run_after_commit(self.session, publish)
