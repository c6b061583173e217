"""The caller's voice activity: Silero VAD (its model ships inside Pipecat's wheel), made ahead
of the call and handed whole model windows.

Why whole windows: Pipecat's ``VADAnalyzer.analyze_audio`` hops to the analyzer's thread for
every buffer it is given, and a phone call gives it a 20 ms frame 50 times a second, while
Silero scores 32 ms windows: about one frame in three completes no window, so its hop can
change nothing (the analyzer only buffers it). Each hop is a thread hand-off and a GIL round
trip on the event loop that carries every call's audio. Gathering the frames here and handing
on only whole windows gives the same verdicts at the same moments with about a third fewer
hops (``tests/voice/test_vad_windows.py``; docs/benchmarks.md, "Voice").
"""

from __future__ import annotations

import asyncio

from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams, VADState

# How long the caller must speak before it counts as speech (three of Silero's 32 ms windows),
# and how long a pause ends their turn. Every barge-in waits the start: 0.2 s (Pipecat's
# default) cost the caller 60-280 ms more before the agent stopped, and noise, hum, tones and
# clicks are refused by Silero's confidence, not by the length (tests/voice/test_barge_in.py);
# a cough or a backchannel that does start it only pauses the agent, which resumes (ADR 0014,
# ADR 0028). No volume floor: Pipecat's is a loudness over a 400 ms window, smoothed again,
# so a caller's first words only clear it some 100 ms after Silero is sure they are speech.
VAD_START_SECONDS = 0.1
VAD_STOP_SECONDS = 0.5
VAD_MIN_VOLUME = 0.0


class WindowedSileroVAD(SileroVADAnalyzer):
    """Silero VAD that hands its thread whole model windows only (see the module's docstring);
    the state can change only when a window is scored, so between windows the last verdict
    stands."""

    def __init__(self, *, params: VADParams) -> None:
        super().__init__(params=params)
        self._gathered = bytearray()
        self._verdict = VADState.QUIET

    def set_params(self, params: VADParams) -> None:
        super().set_params(params)  # resets the analyzer's state to quiet
        self._verdict = VADState.QUIET

    async def analyze_audio(self, buffer: bytes) -> VADState:
        self._gathered += buffer
        window = self.num_frames_required() * self.num_channels * 2
        whole = len(self._gathered) - len(self._gathered) % window
        if whole == 0:
            return self._verdict
        windows = bytes(self._gathered[:whole])
        del self._gathered[:whole]
        self._verdict = await super().analyze_audio(windows)
        return self._verdict


def analyzer(stop_secs: float = VAD_STOP_SECONDS) -> WindowedSileroVAD:
    """A fresh analyzer for one call (loading the model is a blocking call: use a thread)."""
    return WindowedSileroVAD(
        params=VADParams(
            start_secs=VAD_START_SECONDS, stop_secs=stop_secs, min_volume=VAD_MIN_VOLUME
        )
    )


class SpareVads:
    """Fresh analyzers made ahead in a thread, so a call does not wait for a model load (and
    the event loop, where other calls are talking, never does). Each is used by one call
    only; taking one starts making the next."""

    def __init__(self, stop_secs: float, keep: int = 2) -> None:
        self._stop_secs = stop_secs
        self._keep = keep
        self._ready: list[WindowedSileroVAD] = []
        self._making = 0

    async def take(self) -> WindowedSileroVAD:
        if self._ready:
            made = self._ready.pop()
        else:
            made = await asyncio.to_thread(analyzer, self._stop_secs)
        if len(self._ready) + self._making < self._keep:
            self._making += 1
            _background.add(task := asyncio.create_task(self._refill()))
            task.add_done_callback(_background.discard)
        return made

    async def _refill(self) -> None:
        try:
            self._ready.append(await asyncio.to_thread(analyzer, self._stop_secs))
        finally:
            self._making -= 1


_background: set[asyncio.Task[None]] = set()
