"""The voice WebSockets' shared run, and the browser's audio socket.

What every voice WebSocket does once its call is known: run the call's pipeline on the
socket, registered with the process's streams (a shutdown ends it with its reason), then end
the call's record and close the socket with the reason it ended; or refuse it with one logged
line, ending the call when the stream belonged to one.

``WS /api/v1/calls/{call_id}/audio``: a web test call spoken, not typed.

Authenticated like the live socket (a bearer token or ``?token=``; staff, or an API key with
``calls:write``), or by the console's session cookie from a page of the same origin (its test
call page's microphone), for a web test call of the principal's business that is in progress; the
call's greeting is spoken first, then it runs on the same pipeline as a phone call at 16 kHz
(see ``browser_serializer.py`` for the messages). Refused connections close with 1008 (not
signed in or not allowed), 4404 (no such call in the business) or 4409 (not a test call in
progress), with one logged line.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, WebSocket
from pipecat.frames.frames import ErrorFrame
from pipecat.transports.websocket.fastapi import (
    FastAPIWebsocketParams,
    FastAPIWebsocketTransport,
)
from pipecat.utils.errors import classify_http_exception
from pipecat.workers.runner import WorkerRunner
from starlette.websockets import WebSocketState

from aicaller.api.websocket_auth import websocket_principal
from aicaller.businesses.schemas import BusinessConfig, SttProvider
from aicaller.console.session import SESSION_COOKIE as COOKIE
from aicaller.core.errors import AppError, NotFound
from aicaller.core.logging import get_logger
from aicaller.users.roles import STAFF_ROLES, Scope
from aicaller.voice import pipeline
from aicaller.voice.agent_processor import CallAgentProcessor, CallControl
from aicaller.voice.bridge import CallBridge
from aicaller.voice.browser_serializer import SAMPLE_RATE, BrowserPcmSerializer
from aicaller.voice.speech.business_lm import BusinessModel, business_models, model_key
from aicaller.voice.speech.piper_voices import voices_dir
from aicaller.voice.speech.providers import Speech
from aicaller.voice.streams import VoiceStreams

logger = get_logger(__name__)
POLICY_VIOLATION = 1008


async def refuse(
    websocket: WebSocket,
    reason: str,
    bridge: CallBridge | None,
    *,
    what: str,
    code: int = POLICY_VIOLATION,
) -> None:
    """Close with one logged reason; end the call (``stream_error``) if the stream had one."""
    call_id = str(bridge.call_id) if bridge else None
    logger.warning(f"{what} closed", reason=reason, call_id=call_id)
    if bridge is not None and not (await bridge.opening()).ended:
        await bridge.hang_up("stream_error")
    if websocket.application_state == WebSocketState.CONNECTED:
        await websocket.close(code=code, reason=reason[:120])


def broken(error: ErrorFrame) -> bool:
    """Whether the pipeline can no longer hold the call: Pipecat's verdict (a fatal error, a
    processor it deems unusable), or an exception out of a processor that carries a
    permanent HTTP refusal (a revoked key for the hosted voice). Pipecat files the latter as
    unknown, not being able to attribute it, but every later reply would fail alike."""
    if error.fatal or (error.processor is not None and not error.processor.is_usable):
        return True
    return error.exception is not None and classify_http_exception(error.exception).is_permanent


async def control(state: Any, config: BusinessConfig) -> CallControl:
    return CallControl(
        silence_seconds=config.voice_silence_seconds,
        silence_prompts=state.settings.agent_silence_prompts,
        dtmf_person=config.voice_dtmf_digit,
        consent=config.recording_consent if config.recording_enabled else None,
    )


async def _recogniser_model(
    state: Any, bridge: CallBridge, config: BusinessConfig
) -> BusinessModel | None:
    """The offline recogniser's model of the business, if built (else its build starts and
    this call uses the general model): one read of the knowledge's version per call."""
    if config.stt_provider is not SttProvider.OFFLINE:
        return None
    key = model_key(await bridge.knowledge_version(), [config.name, config.greeting])
    models = business_models(state.settings.data_dir)
    return models.for_call(bridge.business_id, key, bridge.knowledge_texts)


async def run_call(
    websocket: WebSocket,
    bridge: CallBridge,
    serializer: Any,
    *,
    what: str,
    sample_rate: int,
    mark: Callable[[str], dict[str, object]] | None,
) -> CallAgentProcessor:
    """Run the call until it ends; returns its agent (end reason, transfer)."""
    state = websocket.app.state
    transport = FastAPIWebsocketTransport(
        websocket,
        FastAPIWebsocketParams(
            audio_in_enabled=True,
            audio_out_enabled=True,
            serializer=serializer,
            allowed_origins=[],  # the socket is authenticated before the transport sees it
        ),
    )
    config = await bridge.settings()
    recording = (
        state.recordings.writer(bridge.business_id, bridge.call_id, sample_rate)
        if config.recording_enabled
        else None
    )
    call = await pipeline.build(
        transport,
        bridge,
        control=await control(state, config),
        out_sample_rate=sample_rate,
        mark=mark,
        recording=recording,
        speech=Speech(
            config,
            await bridge.speech_keys(state.secret_box),
            voices_dir(state.settings.data_dir),
            await _recogniser_model(state, bridge, config),
        ),
    )
    worker = call.worker

    @worker.event_handler("on_pipeline_error")  # type: ignore[untyped-decorator]
    async def failed(_worker: object, error: ErrorFrame) -> None:
        if call.agent.failure is None and broken(error):
            logger.warning(f"{what} failed", call_id=str(bridge.call_id), error=str(error.error))
            call.agent.failure = str(error.error)
            await worker.cancel(reason="pipeline failed")

    @transport.event_handler("on_client_disconnected")  # type: ignore[untyped-decorator]
    async def disconnected(_transport: object, _websocket: object) -> None:
        if serializer.violation is not None:
            await refuse(websocket, serializer.violation, bridge, what=what)
        await worker.cancel(reason="stream closed")

    shutdown: list[str] = []

    async def stop(reason: str) -> None:
        shutdown.append(reason)
        await worker.cancel(reason=reason)

    streams: VoiceStreams = state.voice_streams
    key = id(call)
    streams.add(key, stop)
    try:
        runner = WorkerRunner(handle_sigint=False)
        await runner.add_workers(worker)
        await runner.run()
    finally:
        streams.discard(key)
        if recording is not None:
            await asyncio.to_thread(recording.finish)
    if shutdown:
        call.agent.end_reason, call.agent.transfer_to = shutdown[0], None
    return call.agent


async def finish(websocket: WebSocket, bridge: CallBridge, end_reason: str) -> None:
    if not (await bridge.opening()).ended:
        await bridge.hang_up(end_reason)
    if websocket.application_state == WebSocketState.CONNECTED:
        await websocket.close(code=1000, reason=end_reason)


router = APIRouter(prefix="/calls")
WHAT = "browser audio stream"
NOT_FOUND, NOT_A_LIVE_TEST_CALL = 4404, 4409


@router.websocket("/{call_id}/audio")
async def browser_audio(websocket: WebSocket, call_id: uuid.UUID) -> None:
    await websocket.accept()
    principal = await websocket_principal(
        websocket, roles=frozenset(STAFF_ROLES), scope=Scope.CALLS_WRITE, session_cookie=COOKIE
    )
    if principal is None:
        await refuse(websocket, "not signed in or not allowed", None, what=WHAT)
        return
    bridge = CallBridge(websocket.app.state, principal.business_id, call_id)
    try:
        await bridge.require_live_test_call()
    except NotFound:
        await refuse(websocket, "call not found", None, what=WHAT, code=NOT_FOUND)
        return
    except AppError as exc:
        await refuse(websocket, exc.message, None, what=WHAT, code=NOT_A_LIVE_TEST_CALL)
        return
    serializer = BrowserPcmSerializer()
    agent = await run_call(
        websocket, bridge, serializer, what=WHAT, sample_rate=SAMPLE_RATE, mark=serializer.mark
    )
    lost = "stream_error" if agent.failure else "caller_hangup"
    await finish(websocket, bridge, agent.end_reason or lost)
