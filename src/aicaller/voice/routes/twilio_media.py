"""``WS /telephony/twilio/media``: one Twilio Media Stream, checked, then run on the pipeline.

Before any audio is used: the upgrade request must carry ``X-Twilio-Signature``; the first
messages must be ``connected`` (optional) and ``start`` within ``START_TIMEOUT``; the
``start`` message's ``token`` parameter must be a valid, unexpired, unused stream token; the
signature must be Twilio's over the stream URL with the call's business's auth token; the media
format must be 8 kHz mu-law mono. Anything else is closed with 1008 and one logged reason.
Streams are tracked per process so a shutdown ends each with a clear end reason.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState
from twilio.request_validator import RequestValidator

from aicaller.config import Settings
from aicaller.core.errors import AppError
from aicaller.core.logging import get_logger
from aicaller.telephony import stream_tokens as tokens
from aicaller.telephony import twiml
from aicaller.telephony.accounts import TwilioAccounts
from aicaller.telephony.stream_tokens import PATH, stream_url
from aicaller.telephony.twilio import TwilioProvider
from aicaller.voice.bridge import CallBridge
from aicaller.voice.routes.sockets import finish, refuse, run_call
from aicaller.voice.serializer import MAX_MESSAGE_CHARS, CheckedTwilioSerializer

logger = get_logger(__name__)
router = APIRouter()
WHAT = "twilio media stream"
START_TIMEOUT = 10.0
MULAW, TWILIO_RATE = "audio/x-mulaw", 8000


class Refused(Exception):
    """The stream is closed before its audio is used (and its call ended, once known)."""

    def __init__(self, reason: str, bridge: CallBridge | None = None) -> None:
        super().__init__(reason)
        self.bridge = bridge


@dataclass(frozen=True, slots=True)
class StreamStart:
    stream_sid: str
    call_sid: str
    token: str
    media_format: dict[str, Any]


async def _receive_json(websocket: WebSocket) -> dict[str, Any]:
    text = await asyncio.wait_for(websocket.receive_text(), START_TIMEOUT)
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refused("oversized message before start")
    try:
        message = json.loads(text)
    except ValueError as exc:
        raise Refused("malformed message before start") from exc
    if not isinstance(message, dict):
        raise Refused("malformed message before start")
    return message


async def read_start(websocket: WebSocket) -> StreamStart:
    message = await _receive_json(websocket)
    if message.get("event") == "connected":
        message = await _receive_json(websocket)
    if message.get("event") != "start":
        raise Refused(f"expected start, got {str(message.get('event'))[:20]!r}")
    start = message.get("start")
    if not isinstance(start, dict):
        raise Refused("malformed start message")
    parameters = start.get("customParameters")
    token = parameters.get("token") if isinstance(parameters, dict) else None
    stream_sid, call_sid = start.get("streamSid"), start.get("callSid")
    media_format = start.get("mediaFormat")
    if not (isinstance(token, str) and isinstance(stream_sid, str) and isinstance(call_sid, str)):
        raise Refused("start message without token, streamSid or callSid")
    if message.get("streamSid", stream_sid) != stream_sid:
        raise Refused("start message of another stream")
    return StreamStart(
        stream_sid, call_sid, token, media_format if isinstance(media_format, dict) else {}
    )


class TwilioMediaStream:
    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.state = websocket.app.state
        self.settings: Settings = self.state.settings
        self.accounts: TwilioAccounts = self.state.twilio_accounts

    async def run(self) -> None:
        signature = self.websocket.headers.get("x-twilio-signature")
        await self.websocket.accept()
        if not signature:
            await refuse(self.websocket, "upgrade request not signed by Twilio", None, what=WHAT)
            return
        try:
            start = await read_start(self.websocket)
            bridge = await self._authorise(start, signature)
        except Refused as refused:
            await refuse(self.websocket, str(refused), refused.bridge, what=WHAT)
            return
        except (TimeoutError, WebSocketDisconnect):
            await refuse(self.websocket, "no start message", None, what=WHAT)
            return
        await self._stream(start, bridge)

    async def _authorise(self, start: StreamStart, signature: str) -> CallBridge:
        grant = tokens.read(self.settings.signing_key, start.token)
        if grant is None:
            raise Refused("invalid or expired stream token")
        database = self.state.database
        async with database.transaction() as session:
            credentials = await self.accounts.in_session(session, grant.business_id)
            valid = credentials is not None and RequestValidator(credentials.auth_token).validate(
                stream_url(self.settings.public_url), {}, signature
            )
            if not valid:
                raise Refused("signature is not Twilio's")
            if not await tokens.claim(session, grant):
                raise Refused("stream token already used")
        bridge = CallBridge(self.state, grant.business_id, grant.call_id)
        if (await bridge.opening()).ended:
            raise Refused("call is not in progress")
        fmt = start.media_format
        if (fmt.get("encoding"), fmt.get("sampleRate"), fmt.get("channels")) != (
            MULAW,
            TWILIO_RATE,
            1,
        ):
            raise Refused("unsupported media format", bridge)
        return bridge

    async def _stream(self, start: StreamStart, bridge: CallBridge) -> None:
        serializer = CheckedTwilioSerializer(
            start.stream_sid,
            call_sid=start.call_sid,
            params=CheckedTwilioSerializer.InputParams(auto_hang_up=False),
        )
        agent = await run_call(
            self.websocket,
            bridge,
            serializer,
            what=WHAT,
            sample_rate=TWILIO_RATE,
            mark=serializer.mark,
        )
        if agent.transfer_to:
            await self._transfer(start, bridge, agent.transfer_to)
        lost = agent.end_reason is None and serializer.violation is None
        if lost and await self._fall_back(start, bridge, agent.failure):
            return
        end_reason = "stream_error" if agent.failure else "caller_hangup"
        await finish(self.websocket, bridge, agent.end_reason or end_reason)

    async def _fall_back(self, start: StreamStart, bridge: CallBridge, failure: str | None) -> bool:
        """The stream ended without Twilio's ``stop`` (the socket dropped) or the pipeline
        broke down, and the call did not end: it goes on with ``<Gather>`` (Twilio's REST API
        gives it new TwiML), so the caller is not left in silence. False when Twilio refuses
        (most likely the caller hung up): then the call is ended here."""
        telephony = self.state.telephony
        if not isinstance(telephony, TwilioProvider):
            return False
        config = await bridge.settings()
        action = f"{self.settings.public_url or ''}".rstrip("/") + twiml.GATHER_PATH.format(
            call_id=bridge.call_id, turn=1
        )
        answer = twiml.listen(twiml.STREAM_LOST, action=action, language=config.language)
        try:
            await telephony.redirect_call(start.call_sid, answer, business_id=bridge.business_id)
        except AppError as exc:
            logger.warning("stream fallback refused", call_id=str(bridge.call_id), code=exc.code)
            return False
        logger.warning("stream lost, call goes on with gather", call_id=str(bridge.call_id),
                       failure=failure or "socket closed without stop")  # fmt: skip
        if self.websocket.application_state == WebSocketState.CONNECTED:
            await self.websocket.close(code=1011, reason="stream failed, call continues")
        return True

    async def _transfer(self, start: StreamStart, bridge: CallBridge, to_number: str) -> None:
        """The caller heard the handover line: a warm transfer (the hold message for the
        caller, the summary whispered to the person; new TwiML for the call, which also ends
        this stream). The summary is also the escalation's note (ConversationService)."""
        try:
            await self.state.telephony.transfer_call(
                start.call_sid, to_number, business_id=bridge.business_id, call_id=bridge.call_id
            )
        except AppError as exc:
            logger.warning("transfer failed", call_id=str(bridge.call_id), code=exc.code)


@router.websocket(PATH)
async def twilio_media(websocket: WebSocket) -> None:
    await TwilioMediaStream(websocket).run()
