"""The caller's voice activity (voice/vad.py): the analyzer hands Silero whole windows only,
with the verdicts Pipecat's own analyzer gives frame by frame and fewer hand-offs to its
thread; a caller's interruption is heard within 0.2 s of their speech, and noise never."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.utils import ulaw_to_pcm
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADAnalyzer, VADParams, VADState

from aicaller.voice import vad
from aicaller.voice.serializer import TWILIO_RATE
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE
from tests.voice.caller import FRAME, SILENCE, speech
from tests.voice.test_barge_in import noise

INTERRUPTIONS = [
    "sorry, one more question please",
    "wait, what are your opening hours",
    "hold on, do you take new patients",
    "what are your opening hours",
]
LEAD = 50  # a second of line silence before the caller speaks


async def _call_frames(audio: bytes) -> list[bytes]:
    """``audio`` after a second of silence, as a call's 20 ms frames reach the VAD (8 kHz
    mu-law decoded and resampled as voice/serializer.py does)."""
    resampler = SOXRStreamAudioResampler(quality="QQ", clear_after_secs=None)
    frames = [SILENCE] * LEAD + [
        audio[i : i + FRAME].ljust(FRAME, b"\xff") for i in range(0, len(audio), FRAME)
    ]
    return [await ulaw_to_pcm(frame, TWILIO_RATE, SAMPLE_RATE, resampler) for frame in frames]


def _counting_hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the analyzers' hand-offs to their threads (``run_in_executor`` on the loop)."""
    loop = asyncio.get_running_loop()
    hops = [0]
    original: Callable[..., Any] = loop.run_in_executor

    def counted(*args: Any) -> Any:
        hops[0] += 1
        return original(*args)

    monkeypatch.setattr(loop, "run_in_executor", counted)
    return hops


async def _verdicts(analyzer: VADAnalyzer, frames: list[bytes]) -> list[VADState]:
    analyzer.set_sample_rate(SAMPLE_RATE)
    try:
        return [await analyzer.analyze_audio(frame) for frame in frames]
    finally:
        await analyzer.cleanup()  # type: ignore[no-untyped-call]


def _params() -> VADParams:
    return VADParams(
        start_secs=vad.VAD_START_SECONDS, stop_secs=vad.VAD_STOP_SECONDS, min_volume=0.0
    )


async def test_whole_windows_give_pipecats_verdicts_with_fewer_hand_offs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frames = await _call_frames(speech("Sorry, can I book a cleaning for tomorrow?"))
    frames += [frames[0]] * 40  # the pause after it, so the verdict goes back to quiet
    hops = _counting_hops(monkeypatch)

    pipecat = await _verdicts(SileroVADAnalyzer(params=_params()), frames)
    pipecat_hops, hops[0] = hops[0], 0
    windowed = await _verdicts(vad.analyzer(), frames)

    assert windowed == pipecat
    assert {VADState.SPEAKING, VADState.QUIET} <= set(windowed)
    assert pipecat_hops == len(frames)
    # At most one hand-off per whole 32 ms window (512 samples), not one per 20 ms frame.
    assert hops[0] <= sum(len(frame) for frame in frames) // (512 * 2) < len(frames) * 2 // 3


@pytest.mark.parametrize("words", INTERRUPTIONS)
async def test_an_interruption_is_heard_within_a_fifth_of_a_second_of_speech(words: str) -> None:
    verdicts = await _verdicts(vad.analyzer(), await _call_frames(speech(words)))
    assert VADState.SPEAKING in verdicts
    frames_of_speech = verdicts.index(VADState.SPEAKING) + 1 - LEAD
    assert frames_of_speech * FRAME * 1000 // TWILIO_RATE <= 200


@pytest.mark.parametrize("kind", ["hiss", "hum", "clicks"])
async def test_noise_is_never_speech(kind: str) -> None:
    verdicts = await _verdicts(vad.analyzer(), await _call_frames(noise(kind)))
    assert VADState.SPEAKING not in verdicts
