"""One call's Pipecat pipeline: transport -> VAD -> barge-in -> [smart turn] -> recogniser ->
agent -> voice -> transport.

Silero VAD (its model ships inside Pipecat's wheel) marks where the caller speaks; the
offline recogniser and voice need no network. With ``turn_detection`` ``smart_turn`` the
VAD reports pauses sooner and Pipecat's smart-turn model decides which end the turn
(turns.py). Input runs at 16 kHz (the recogniser's model), output at the transport's rate,
so the voice is resampled once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker, ProcessorUnusablePolicy
from pipecat.processors.audio.audio_buffer_processor import AudioBufferProcessor
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.transports.base_transport import BaseTransport

from aicaller.businesses.schemas import TurnDetection
from aicaller.core.recordings import RecordingWriter
from aicaller.voice import turns, vad
from aicaller.voice.agent_processor import CallAgentProcessor, CallControl
from aicaller.voice.bridge import CallBridge
from aicaller.voice.speaking import BargeIn
from aicaller.voice.speech import providers
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE
from aicaller.voice.speech.providers import Speech

_SPARE_VADS = {
    TurnDetection.VAD: vad.SpareVads(vad.VAD_STOP_SECONDS),
    TurnDetection.SMART_TURN: vad.SpareVads(turns.VAD_STOP_SECONDS, keep=1),
}


def _recorder(recording: RecordingWriter, sample_rate: int) -> AudioBufferProcessor:
    """Both sides mixed at the transport's rate, handed to the store a second at a time."""
    recorder = AudioBufferProcessor(
        sample_rate=sample_rate, num_channels=1, buffer_size=sample_rate * 2,
        auto_start_recording=True,
    )  # fmt: skip

    @recorder.event_handler("on_audio_data")  # type: ignore[untyped-decorator]
    async def write(_processor: object, audio: bytes, _rate: int, _channels: int) -> None:
        recording.append(audio)

    return recorder


@dataclass
class CallPipeline:
    worker: PipelineWorker
    agent: CallAgentProcessor
    turn_gate: turns.SmartTurnGate | None = None


async def build(
    transport: BaseTransport,
    bridge: CallBridge,
    *,
    control: CallControl,
    out_sample_rate: int,
    mark: Callable[[str], dict[str, object]] | None,
    on_end: Callable[[str], Awaitable[None]] | None = None,
    recording: RecordingWriter | None = None,
    speech: Speech,
) -> CallPipeline:
    detection = speech.config.turn_detection
    activity = VADProcessor(vad_analyzer=await _SPARE_VADS[detection].take())
    agent = CallAgentProcessor(bridge, control=control, send_mark=mark, on_end=on_end)
    gate = (
        turns.SmartTurnGate(await turns.make_analyzer())
        if detection is TurnDetection.SMART_TURN
        else None
    )
    pipeline = Pipeline(
        [
            transport.input(),
            activity,
            BargeIn(agent),
            *([gate] if gate is not None else []),
            # The caller's audio goes past the recogniser only to be recorded: otherwise
            # each 20 ms frame would still pass through every processor after it.
            providers.recogniser(speech, audio_downstream=recording is not None),
            agent,
            providers.voice(speech),
            transport.output(),
            *([_recorder(recording, out_sample_rate)] if recording is not None else []),
        ]
    )
    worker = PipelineWorker(
        pipeline,
        params=PipelineParams(
            audio_in_sample_rate=SAMPLE_RATE, audio_out_sample_rate=out_sample_rate
        ),
        idle_timeout_secs=None,
        enable_rtvi=False,
        # A recogniser or voice that can no longer work (a permanent error) ends the stream,
        # so the call can go on another way (Twilio: <Gather>) rather than in silence.
        processor_unusable_policy=ProcessorUnusablePolicy.CANCEL,
    )
    return CallPipeline(worker, agent, gate)
