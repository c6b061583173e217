"""The streamed call's record: each step of the pipeline is one short transaction on the
same ``ConversationService`` that text calls and Twilio's gather webhooks use, so the
transcript turns, intents, sources, escalations, notes, live events and post-call analysis
of a voice call are exactly those of any other call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from aicaller.agent.conversation import ConversationService, TurnResult
from aicaller.agent.protocol import AgentAction
from aicaller.businesses.schemas import BusinessConfig
from aicaller.businesses.service import BusinessService
from aicaller.businesses.speech import SpeechKeys
from aicaller.core.encryption import SecretBox
from aicaller.core.errors import AppError, Conflict
from aicaller.core.logging import get_logger
from aicaller.database.models.call import CallStatus
from aicaller.database.models.transcript_turn import Speaker
from aicaller.database.session import Database
from aicaller.knowledge.documents.service import DocumentService

logger = get_logger(__name__)
BUSY_RETRIES = 3


@dataclass(frozen=True, slots=True)
class Spoken:
    """What the agent says next, and what happens after it has been said."""

    text: str
    ended: bool = False
    transfer_to: str | None = None
    turn_id: uuid.UUID | None = None  # the stored agent turn, cut short on a barge-in


def _spoken(result: TurnResult) -> Spoken:
    reply = result.reply
    transfer = reply.transfer_to if reply.action is AgentAction.TRANSFER else None
    said = [turn.id for turn in result.turns if turn.speaker == Speaker.AGENT]
    return Spoken(
        reply.text,
        ended=result.ended,
        transfer_to=transfer,
        turn_id=said[-1] if said else None,
    )


class CallBridge:
    def __init__(self, state: Any, business_id: uuid.UUID, call_id: uuid.UUID) -> None:
        self.state = state
        self.database: Database = state.database
        self.business_id = business_id
        self.call_id = call_id
        self._opening: Spoken | None = None

    def _conversation(self, session: Any) -> ConversationService:
        return ConversationService(
            session,
            self.business_id,
            agents=self.state.agents,
            cache=self.state.cache,
            events=self.state.events,
        )

    async def greeting(self) -> Spoken:
        """``opening()`` as read when the stream was checked (one read fewer before the
        caller hears anything)."""
        return self._opening if self._opening is not None else await self.opening()

    async def opening(self) -> Spoken:
        """The greeting stored when the call connected (the webhook greeted, as for gather),
        and whether the call has ended."""
        async with self.database.transaction() as session:
            conversation = self._conversation(session)
            turns = list(await conversation.live.history(self.call_id))
            call = await conversation.live.get(self.call_id)
        said = [turn for turn in turns if turn.speaker == Speaker.AGENT]
        self._opening = Spoken(
            said[-1].text if said else "",
            ended=call.status != CallStatus.IN_PROGRESS,
            turn_id=said[-1].id if said else None,
        )
        return self._opening

    async def settings(self) -> BusinessConfig:
        """The business's configuration (voice transport, silence, keypad), cached."""
        async with self.database.transaction() as session:
            return await BusinessService(session, self.business_id, self.state.cache).get_config()

    async def speech_keys(self, secret_box: SecretBox) -> SpeechKeys:
        async with self.database.transaction() as session:
            business = BusinessService(session, self.business_id, self.state.cache)
            return await business.speech_keys(secret_box)

    async def knowledge_version(self) -> int:
        async with self.database.transaction() as session:
            business = BusinessService(session, self.business_id, self.state.cache)
            return await business.knowledge_version()

    async def knowledge_texts(self) -> list[str]:
        """What the offline recogniser's business model is built from: the business's name
        and greeting, and every document's title and text."""
        async with self.database.transaction() as session:
            config = await BusinessService(session, self.business_id, self.state.cache).get_config()
            texts = await DocumentService(session, self.business_id).texts()
        return [config.name, config.greeting, *texts]

    async def require_live_test_call(self) -> None:
        """404 for a call not of this business; 409 for a phone call or an ended call."""
        async with self.database.transaction() as session:
            conversation = self._conversation(session)
            await conversation.require_test_call(self.call_id)
            if (await conversation.live.get(self.call_id)).status != CallStatus.IN_PROGRESS:
                raise Conflict("The call has ended", code="call_not_active")

    async def respond(self, utterance: str) -> Spoken | None:
        """The agent's answer; None when the call can take no more turns. A turn stored by
        someone else meanwhile (``call_busy``: a staff message on a test call) is retried."""
        for _attempt in range(BUSY_RETRIES):
            try:
                async with self.database.transaction() as session:
                    conversation = self._conversation(session)
                    return _spoken(await conversation.respond(self.call_id, utterance))
            except AppError as exc:
                logger.warning("voice turn refused", call_id=str(self.call_id), code=exc.code)
                if exc.code != "call_busy":
                    return None
        return None

    async def silence(self, prompts: int) -> Spoken | None:
        try:
            async with self.database.transaction() as session:
                result = await self._conversation(session).silence(self.call_id, prompts=prompts)
                return _spoken(result)
        except AppError as exc:
            logger.warning("voice silence refused", call_id=str(self.call_id), code=exc.code)
            return None

    async def cut_short(self, turn_id: uuid.UUID, heard: str) -> None:
        async with self.database.transaction() as session:
            await self._conversation(session).cut_short(self.call_id, turn_id, heard)

    async def hang_up(self, end_reason: str) -> None:
        """End the call's record unless it has ended already (a goodbye, a transfer)."""
        async with self.database.transaction() as session:
            conversation = self._conversation(session)
            call = await conversation.live.locked(self.call_id)
            if call.status == CallStatus.IN_PROGRESS:
                await conversation.hang_up(self.call_id, end_reason)
