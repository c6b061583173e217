"""Pipecat's smart-turn model (v3.2, the ONNX file inside pipecat-ai's wheel) on our audio.

For finished and unfinished sentences spoken by eSpeak NG, through 8 kHz mu-law and the
call's 16 kHz resampling (as voice/serializer.py), with no trailing silence and with the
silence the VAD waits before it reports a pause (0.2 s and 0.3 s, as Pipecat's turn
strategy hands it on): the model's verdict and probability, and the CPU milliseconds of one
inference (median of ``--runs``; CPU time, so other load on the machine inflates it little).
Wall time is printed too. No server. ADR 0014 has the results.

    .venv/bin/python benchmarks/voice_turns.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3
from pipecat.audio.utils import ulaw_to_pcm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.voice.caller import speech

RATE = 16_000
FINISHED = ["what are your opening hours", "can I book a cleaning for tomorrow", "my name is Ann"]
UNFINISHED = ["I would like to book an appointment for", "um, I was wondering if", "my name is"]
TRAILS = (0.0, 0.2, 0.3)


async def audio(text: str) -> np.ndarray:
    resampler = SOXRStreamAudioResampler(quality="QQ", clear_after_secs=None)
    pcm = await ulaw_to_pcm(speech(text), 8000, RATE, resampler)
    return np.frombuffer(pcm, np.int16).astype(np.float32) / 32768


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.process_time()
    model = LocalSmartTurnAnalyzerV3()
    model.set_sample_rate(RATE)
    print(f"model load: {(time.process_time() - started) * 1000:.0f} ms CPU")
    cpu: list[float] = []
    wall: list[float] = []
    right = dict.fromkeys(TRAILS, 0)
    print("sentence                                   finished  " + "  ".join(
        f"trail {trail:.1f} s" for trail in TRAILS))  # fmt: skip
    for finished, texts in ((True, FINISHED), (False, UNFINISHED)):
        for text in texts:
            pcm = await audio(text)
            cells = []
            for trail in TRAILS:
                padded = np.concatenate([pcm, np.zeros(int(trail * RATE), np.float32)])
                for _ in range(args.runs):
                    began, clock = time.process_time(), time.perf_counter()
                    result = model._predict_endpoint(padded)
                    cpu.append(time.process_time() - began)
                    wall.append(time.perf_counter() - clock)
                said_done = result["prediction"] == 1
                right[trail] += said_done == finished
                cells.append(f"{'done' if said_done else 'more'} {result['probability']:.2f}")
            print(f"{text!r:44} {finished!s:8}  " + "  ".join(f"{c:11}" for c in cells))
    total = len(FINISHED) + len(UNFINISHED)
    for trail in TRAILS:
        print(f"right with {trail:.1f} s of trailing silence: {right[trail]} of {total}")
    print(f"one inference: median {statistics.median(cpu) * 1000:.0f} ms CPU, "
          f"{statistics.median(wall) * 1000:.0f} ms wall")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
