"""Where a barge-in's time goes before the pipeline: the VAD's start on the caller's audio.

Caller speech (eSpeak NG), backchannels and loud noise, as 8 kHz mu-law in 20 ms frames after
a second of line silence, decoded and resampled to 16 kHz as a call's serializer does, then
Silero VAD: how many milliseconds of the caller's audio pass before the VAD reports speech,
for Pipecat's defaults (SoX "very high quality" stream resampler, volume floor 0.6, 0.2 s
start), for the quick resampler and no floor with the 0.2 s start, and for what
``voice/vad.py`` uses (SoX quick cubic interpolation, no volume floor, its start). Audio
time, not wall time: the machine's load does not change it. No server.

    .venv/bin/python benchmarks/voice_vad.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Literal

import numpy as np
from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.utils import ulaw_to_pcm
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams, VADState

from aicaller.voice.vad import VAD_START_SECONDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.voice.caller import FRAME, RATE, SILENCE, _mulaw, speech

SPEECH = [
    "sorry, one more question please",
    "wait, what are your opening hours",
    "hold on, do you take new patients",
    "Sorry, can I book a cleaning for tomorrow?",
    "How much is a cleaning?",
    "what are your opening hours",
    "I need an appointment",
]
BACKCHANNELS = ["yeah", "mm-hm", "okay", "right"]
Quality = Literal["QQ", "VHQ"]
SETUPS: dict[str, tuple[Quality, float, float]] = {  # resampler, volume floor, start (s)
    "Pipecat defaults": ("VHQ", 0.6, 0.2),
    "quick resampler": ("QQ", 0.6, 0.2),
    "no volume floor": ("VHQ", 0.0, 0.2),
    "both": ("QQ", 0.0, 0.2),
    "both, 0.1 s (pipeline)": ("QQ", 0.0, VAD_START_SECONDS),
}


def noise(kind: str) -> bytes:
    count, rng = RATE, np.random.default_rng(7)
    ticks = np.arange(count) / RATE
    if kind == "hiss":
        return _mulaw(rng.normal(0, 9000, count))
    if kind == "hum":
        return _mulaw(
            9000 * np.sin(2 * np.pi * 60 * ticks) + 5000 * np.sin(2 * np.pi * 120 * ticks)
        )
    clicks = np.zeros(count)
    clicks[::800], clicks[1::800] = 20000, -20000
    return _mulaw(clicks)


async def start_ms(audio: bytes, quality: Quality, floor: float, start: float) -> int | None:
    """Milliseconds of ``audio`` sent before the VAD reports speech (None: it never does)."""
    params = VADParams(start_secs=start, stop_secs=0.5, min_volume=floor)
    vad = SileroVADAnalyzer(params=params)
    vad.set_sample_rate(16_000)
    resampler = SOXRStreamAudioResampler(quality=quality, clear_after_secs=None)
    lead = 50
    frames = [SILENCE] * lead + [audio[i : i + FRAME].ljust(FRAME, b"\xff")
                                 for i in range(0, len(audio), FRAME)] + [SILENCE] * 50  # fmt: skip
    for index, frame in enumerate(frames):
        pcm = await ulaw_to_pcm(frame, RATE, 16_000, resampler)
        if vad._run_analyzer(pcm) == VADState.SPEAKING:
            return (index + 1 - lead) * FRAME * 1000 // RATE
    return None


async def main() -> None:
    items = [(text, speech(text)) for text in SPEECH + BACKCHANNELS]
    items += [(kind, noise(kind)) for kind in ("hiss", "hum", "clicks")]
    print(f"{'':40}" + "".join(f"{name:>24}" for name in SETUPS))
    for label, audio in items:
        cells = [await start_ms(audio, *setup) for setup in SETUPS.values()]
        print(f"{label[:38]!r:40}" + "".join(f"{'never' if c is None else f'{c} ms':>24}"
                                             for c in cells))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
