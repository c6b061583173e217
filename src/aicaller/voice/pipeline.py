"""One call's Pipecat pipeline: transport -> VAD -> recogniser -> agent -> voice -> transport.

Silero VAD (its model ships inside Pipecat's wheel) marks where the caller speaks; the
offline recogniser and voice need no network. Input runs at 16 kHz (the recogniser's model),
output at the transport's rate, so the voice is resampled once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.transports.base_transport import BaseTransport

from aicaller.voice.agent_processor import CallAgentProcessor, CallControl
from aicaller.voice.bridge import CallBridge
from aicaller.voice.speech.espeak import EspeakTTSService
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE, PocketsphinxSTTService

# How long the caller must speak before it counts as speech (backchannel-length noise does
# not interrupt), and how long a pause ends their turn.
VAD_START_SECONDS = 0.2
VAD_STOP_SECONDS = 0.5


class _SpareVads:
    """Fresh Silero analyzers made ahead in a thread, so a call does not wait for a model
    load (and the event loop, where other calls are talking, never does). Each is used by
    one call only; taking one starts making the next."""

    def __init__(self, keep: int = 2) -> None:
        self._keep = keep
        self._ready: list[SileroVADAnalyzer] = []
        self._making = 0

    @staticmethod
    def _make() -> SileroVADAnalyzer:
        params = VADParams(start_secs=VAD_START_SECONDS, stop_secs=VAD_STOP_SECONDS)
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
_SPARE_VADS = _SpareVads()


@dataclass
class CallPipeline:
    worker: PipelineWorker
    agent: CallAgentProcessor


async def build(
    transport: BaseTransport,
    bridge: CallBridge,
    *,
    control: CallControl,
    out_sample_rate: int,
    mark: Callable[[str], dict[str, object]] | None,
    on_end: Callable[[str], Awaitable[None]] | None = None,
) -> CallPipeline:
    vad = VADProcessor(vad_analyzer=await _SPARE_VADS.take())
    agent = CallAgentProcessor(bridge, control=control, send_mark=mark, on_end=on_end)
    pipeline = Pipeline(
        [
            transport.input(),
            vad,
            PocketsphinxSTTService(),
            agent,
            EspeakTTSService(),
            transport.output(),
        ]
    )
    worker = PipelineWorker(
        pipeline,
        params=PipelineParams(
            audio_in_sample_rate=SAMPLE_RATE, audio_out_sample_rate=out_sample_rate
        ),
        idle_timeout_secs=None,
        enable_rtvi=False,
    )
    return CallPipeline(worker, agent)
