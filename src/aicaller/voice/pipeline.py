"""One call's Pipecat pipeline: transport -> VAD -> barge-in -> [smart turn] -> recogniser ->
agent -> voice -> transport.

Silero VAD (its model ships inside Pipecat's wheel) marks where the caller speaks; the
offline recogniser and voice need no network. With ``turn_detection`` ``smart_turn`` the
VAD reports pauses sooner and Pipecat's smart-turn model decides which end the turn
(turns.py). Input runs at 16 kHz (the recogniser's model), output at the transport's rate,
so the voice is resampled once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker, ProcessorUnusablePolicy
from pipecat.processors.audio.audio_buffer_processor import AudioBufferProcessor
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.transports.base_transport import BaseTransport

from aicaller.businesses.schemas import TurnDetection
from aicaller.core.recordings import RecordingWriter
from aicaller.voice import turns
from aicaller.voice.agent_processor import CallAgentProcessor, CallControl
from aicaller.voice.bridge import CallBridge
from aicaller.voice.speaking import BargeIn
from aicaller.voice.speech import providers
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE
from aicaller.voice.speech.providers import Speech

# How long the caller must speak before it counts as speech, and how long a pause ends their
# turn. No volume floor: Pipecat's is a loudness over a 400 ms window, smoothed again, so a
# caller's first words only clear it some 100 ms after Silero is sure they are speech (which
# already refuses noise, hum, tones and clicks: tests/voice/test_barge_in.py).
VAD_START_SECONDS = 0.2
VAD_STOP_SECONDS = 0.5
VAD_MIN_VOLUME = 0.0


class _SpareVads:
    """Fresh Silero analyzers made ahead in a thread, so a call does not wait for a model
    load (and the event loop, where other calls are talking, never does). Each is used by
    one call only; taking one starts making the next."""

    def __init__(self, stop_secs: float, keep: int = 2) -> None:
        self._stop_secs = stop_secs
        self._keep = keep
        self._ready: list[SileroVADAnalyzer] = []
        self._making = 0

    def _make(self) -> SileroVADAnalyzer:
        params = VADParams(
            start_secs=VAD_START_SECONDS, stop_secs=self._stop_secs, min_volume=VAD_MIN_VOLUME
        )
        return SileroVADAnalyzer(params=params)

    async def take(self) -> SileroVADAnalyzer:
        analyzer = self._ready.pop() if self._ready else await asyncio.to_thread(self._make)
        if len(self._ready) + self._making < self._keep:
            self._making += 1
            _background.add(task := asyncio.create_task(self._refill()))
            task.add_done_callback(_background.discard)
        return analyzer

    async def _refill(self) -> None:
        try:
            self._ready.append(await asyncio.to_thread(self._make))
        finally:
            self._making -= 1


_background: set[asyncio.Task[None]] = set()
_SPARE_VADS = {
    TurnDetection.VAD: _SpareVads(VAD_STOP_SECONDS),
    TurnDetection.SMART_TURN: _SpareVads(turns.VAD_STOP_SECONDS, keep=1),
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
    vad = VADProcessor(vad_analyzer=await _SPARE_VADS[detection].take())
    agent = CallAgentProcessor(bridge, control=control, send_mark=mark, on_end=on_end)
    gate = (
        turns.SmartTurnGate(await turns.make_analyzer())
        if detection is TurnDetection.SMART_TURN
        else None
    )
    pipeline = Pipeline(
        [
            transport.input(),
            vad,
            BargeIn(agent),
            *([gate] if gate is not None else []),
            providers.recogniser(speech),
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
