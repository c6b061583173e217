"""One call's Pipecat pipeline: transport -> VAD -> recogniser -> agent -> voice -> transport.

Silero VAD (its model ships inside Pipecat's wheel) marks where the caller speaks; the
offline recogniser and voice need no network. Input runs at 16 kHz (the recogniser's model),
output at the transport's rate, so the voice is resampled once.
"""

from __future__ import annotations

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


@dataclass
class CallPipeline:
    worker: PipelineWorker
    agent: CallAgentProcessor


def build(
    transport: BaseTransport,
    bridge: CallBridge,
    *,
    control: CallControl,
    out_sample_rate: int,
    mark: Callable[[str], dict[str, object]] | None,
    on_end: Callable[[str], Awaitable[None]] | None = None,
) -> CallPipeline:
    vad = VADProcessor(
        vad_analyzer=SileroVADAnalyzer(
            params=VADParams(start_secs=VAD_START_SECONDS, stop_secs=VAD_STOP_SECONDS)
        )
    )
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
