"""Twilio's webhooks, applied: inbound and answered calls, speech turns, status callbacks.

Every request is checked against ``X-Twilio-Signature`` (the SDK's ``RequestValidator`` with
the business's auth token, over the public URL Twilio called) before anything is stored; a
missing or wrong signature is a 403 that changes nothing. Twilio retries webhooks, so each one
is applied once: its response is kept under an idempotency key (the call, and for speech turns
the turn number carried in the action URL) and a repeat gets the same TwiML back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from twilio.request_validator import RequestValidator

from aicaller.agent.agents import Agents
from aicaller.agent.conversation import ConversationService, PreparedTurn, TurnResult
from aicaller.agent.protocol import AgentAction
from aicaller.businesses.schemas import VoiceTransport
from aicaller.businesses.service import BusinessService, business_answering
from aicaller.calls import live
from aicaller.calls.live import LiveCallService
from aicaller.config import Settings
from aicaller.core.cache import AppCache
from aicaller.core.errors import NotFound, PermissionDenied
from aicaller.core.events import EventBus
from aicaller.core.logging import get_logger
from aicaller.database.models.call import CallStatus
from aicaller.idempotency.service import IdempotencyService
from aicaller.telephony import stream_tokens, twiml
from aicaller.telephony.accounts import TwilioAccounts
from aicaller.telephony.twilio import TWILIO_STATUSES

logger = get_logger(__name__)
PROVIDER = "twilio"
# What one caller turn keeps of Twilio's transcription (the API's limit for a transcript turn).
MAX_SPEECH = 10_000
STATUSES = {
    **{k: CallStatus(v.value) for k, v in TWILIO_STATUSES.items()},
    "busy": CallStatus.BUSY,
    "no-answer": CallStatus.NO_ANSWER,
}


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str  # as Twilio requested it: the public URL, path and query
    params: Mapping[str, str]
    signature: str | None


def _fingerprint(params: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(params.items())).encode()).hexdigest()


class InvalidSignature(PermissionDenied):
    code = "invalid_signature"


class TwilioWebhooks:
    def __init__(
        self,
        session: AsyncSession,
        *,
        settings: Settings,
        accounts: TwilioAccounts,
        agents: Agents,
        cache: AppCache | None,
        events: EventBus | None,
        streaming: Callable[[], bool] = lambda: False,
    ) -> None:
        self.session = session
        self.settings = settings
        self.accounts = accounts
        self.agents = agents
        self.cache = cache
        self.events = events
        self.streaming = streaming  # whether the real-time pipeline can run in this process

    async def voice(self, hook: Webhook, call_id: uuid.UUID | None) -> str:
        """A call connected: an inbound call to one of our numbers, or an outbound call we
        placed (``call_id`` in the URL) that was answered. Greet and listen."""
        if call_id is not None:
            business_id = await live.find_call(self.session, call_id)
        else:
            business_id = await business_answering(self.session, hook.params.get("To", ""))
        if business_id is None:
            await self._verify(hook, None)
            return twiml.goodbye(twiml.NOT_IN_SERVICE, language="en-US")
        await self._verify(hook, business_id)
        key = f"twilio:voice:{hook.params.get('CallSid', '')}"
        return await self._once(
            business_id, key, hook, lambda: self._connect(business_id, hook, call_id)
        )

    async def gather(self, hook: Webhook, call_id: uuid.UUID, turn: int) -> str:
        """The caller said something (or nothing): run one agent turn. The reply is worked
        out before anything is written (see ``ConversationService.prepare``)."""
        business_id = await live.find_call(self.session, call_id)
        if business_id is None:
            await self._verify(hook, None)
            raise NotFound("Call not found", code="call_not_found")
        await self._verify(hook, business_id)
        key = f"twilio:gather:{call_id}:{turn}"
        stored = await IdempotencyService(self.session, business_id).stored(
            key, _fingerprint(hook.params)
        )
        if stored is not None:
            return str(stored.body)
        prepared = await self._prepare(business_id, hook, call_id)
        return await self._once(
            business_id, key, hook, lambda: self._apply(business_id, hook, prepared, turn)
        )

    async def status(self, hook: Webhook) -> None:
        """A status callback: the call's status, timestamps, duration and end reason."""
        found = await live.find_by_provider_id(
            self.session, PROVIDER, hook.params.get("CallSid", "")
        )
        await self._verify(hook, found[0] if found else None)
        status = STATUSES.get(hook.params.get("CallStatus", ""))
        if found is None or status is None:
            return  # not a call of ours, or a state we do not track ("initiated" is queued)
        business_id, call_id = found
        key = "twilio:status:{}:{}:{}".format(
            hook.params.get("CallSid"), status.value, hook.params.get("SequenceNumber", "")
        )

        async def apply() -> str:
            records = LiveCallService(self.session, business_id, self.cache)
            call = await records.locked(call_id)
            duration = hook.params.get("CallDuration", "")
            seconds = int(duration) if duration.isdigit() else None
            changed = await records.carrier_status(call, status, seconds)
            return "applied" if changed else "unchanged"

        await self._once(business_id, key, hook, apply)

    # -- steps ----------------------------------------------------------------------------------
    async def _connect(
        self, business_id: uuid.UUID, hook: Webhook, call_id: uuid.UUID | None
    ) -> str:
        records = LiveCallService(self.session, business_id, self.cache)
        if call_id is not None:
            call = await records.locked(call_id)
            await records.answered(call, hook.params.get("CallSid", ""))
        else:
            call = await records.open_inbound_call(
                provider=PROVIDER,
                provider_call_id=hook.params.get("CallSid", ""),
                from_number=hook.params.get("From", ""),
                to_number=hook.params.get("To", ""),
            )
        result = await self._conversation(business_id).greet(call)
        config = await BusinessService(self.session, business_id, self.cache).get_config()
        if config.voice_transport is VoiceTransport.STREAM and not result.ended:
            if self.streaming():
                token = stream_tokens.issue(self.settings.signing_key, business_id, call.id)
                return twiml.stream(stream_tokens.stream_url(self.settings.public_url), token)
            logger.warning("streamed call answered with gather", call_id=str(call.id))
        return await self._render(business_id, result, turn=1)

    async def _prepare(
        self, business_id: uuid.UUID, hook: Webhook, call_id: uuid.UUID
    ) -> PreparedTurn | _Silence | str:
        """Read-only: the agent's reply, a silence to handle, or the TwiML of an ended call."""
        call = await LiveCallService(self.session, business_id, self.cache).get(call_id)
        if call.provider != PROVIDER:
            raise NotFound("Call not found", code="call_not_found")
        if call.status != CallStatus.IN_PROGRESS:
            config = await BusinessService(self.session, business_id, self.cache).get_config()
            return twiml.goodbye("", language=config.language)
        speech = hook.params.get("SpeechResult", "").strip()[:MAX_SPEECH]
        if not speech:
            return _Silence(call_id)
        return await self._conversation(business_id).prepare(call_id, speech, call=call)

    async def _apply(
        self,
        business_id: uuid.UUID,
        hook: Webhook,
        prepared: PreparedTurn | _Silence | str,
        turn: int,
    ) -> str:
        if isinstance(prepared, str):
            return prepared
        conversation = self._conversation(business_id)
        if isinstance(prepared, _Silence):
            prompts = self.settings.agent_silence_prompts
            result = await conversation.silence(prepared.call_id, prompts=prompts)
        else:
            confidence = _confidence(hook.params.get("Confidence"))
            result = await conversation.apply(prepared, confidence=confidence)
        return await self._render(business_id, result, turn=turn + 1)

    async def _render(self, business_id: uuid.UUID, result: TurnResult, *, turn: int) -> str:
        config = await BusinessService(self.session, business_id, self.cache).get_config()
        reply, language = result.reply, config.language
        if reply.action is AgentAction.TRANSFER and reply.transfer_to and result.ended:
            caller_id = (
                result.call.to_number
                if result.call.direction == "inbound"
                else result.call.from_number
            )
            return twiml.transfer(
                reply.text, reply.transfer_to, language=language, caller_id=caller_id or None
            )
        if result.ended:
            return twiml.goodbye(reply.text, language=language)
        action = self._public(twiml.GATHER_PATH.format(call_id=result.call.id, turn=turn))
        return twiml.listen(reply.text, action=action, language=language)

    # -- plumbing -------------------------------------------------------------------------------
    def _conversation(self, business_id: uuid.UUID) -> ConversationService:
        return ConversationService(
            self.session, business_id, agents=self.agents, cache=self.cache, events=self.events
        )

    def _public(self, path: str) -> str:
        return f"{(self.settings.public_url or '').rstrip('/')}{path}"

    async def _verify(self, hook: Webhook, business_id: uuid.UUID | None) -> None:
        if business_id is not None:
            credentials = await self.accounts.in_session(self.session, business_id)
        else:
            credentials = self.accounts.install
        valid = (
            credentials is not None
            and hook.signature is not None
            and RequestValidator(credentials.auth_token).validate(
                hook.url, dict(hook.params), hook.signature
            )
        )
        if not valid:
            raise InvalidSignature("The request is not signed by Twilio")

    async def _once(
        self, business_id: uuid.UUID, key: str, hook: Webhook, work: Callable[[], Awaitable[str]]
    ) -> str:
        """Run ``work`` unless this webhook was applied before: then replay its answer. The key
        is claimed in this transaction, so a concurrent repeat waits and replays."""
        idempotency = IdempotencyService(self.session, business_id)
        stored = await idempotency.begin(key, _fingerprint(hook.params))
        if stored is not None:
            return str(stored.body)
        body = await work()
        await idempotency.complete(key, 200, body)
        return body


@dataclass(frozen=True, slots=True)
class _Silence:
    call_id: uuid.UUID


def _confidence(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number <= 1 else None
