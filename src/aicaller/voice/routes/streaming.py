"""What every voice WebSocket does once its call is known: run the call's pipeline on the
socket, registered with the process's streams (a shutdown ends it with its reason), then end
the call's record and close the socket with the reason it ended; or refuse it with one logged
line, ending the call when the stream belonged to one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import WebSocket
from pipecat.transports.websocket.fastapi import (
    FastAPIWebsocketParams,
    FastAPIWebsocketTransport,
)
from pipecat.workers.runner import WorkerRunner
from starlette.websockets import WebSocketState

from aicaller.core.logging import get_logger
from aicaller.voice import pipeline
from aicaller.voice.agent_processor import CallAgentProcessor, CallControl
from aicaller.voice.bridge import CallBridge
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


async def control(state: Any, bridge: CallBridge) -> CallControl:
    config = await bridge.settings()
    return CallControl(
        silence_seconds=config.voice_silence_seconds,
        silence_prompts=state.settings.agent_silence_prompts,
        dtmf_person=config.voice_dtmf_digit,
    )


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
    call = await pipeline.build(
        transport,
        bridge,
        control=await control(state, bridge),
        out_sample_rate=sample_rate,
        mark=mark,
    )
    worker = call.worker

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
    if shutdown:
        call.agent.end_reason, call.agent.transfer_to = shutdown[0], None
    return call.agent


async def finish(websocket: WebSocket, bridge: CallBridge, end_reason: str) -> None:
    if not (await bridge.opening()).ended:
        await bridge.hang_up(end_reason)
    if websocket.application_state == WebSocketState.CONNECTED:
        await websocket.close(code=1000, reason=end_reason)
