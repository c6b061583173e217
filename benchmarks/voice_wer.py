"""Word error rate of the offline recogniser: the general en-US model against the business's
own model (ADR 0034), on three sets of caller sentences, with its CPU per second of audio.

Each sentence is synthesised by eSpeak NG, sent through the phone line (8 kHz mu-law) and
resampled to 16 kHz as on a call, and fed in 0.1 s chunks, as on a call; one decoder per set
and model (so each starts from the same state). The sets:

- ``dev``: the 50 sentences of ``voice_sentences.py`` to the dental clinic of the voice
  benchmark (its three pages, name and greeting). The recipe was chosen looking at these and
  at the tuning set below; the caller phrases were written after reading them.
- ``plumber`` (held out): 30 sentences to Ridgeline Plumbing, Heating & Air, written before
  any change was tried (``voice_heldout.py``), its model built from its site
  (``answer_data/business``, extracted as a sync extracts pages).
- ``law firm`` (held out): 30 questions to Thornton Vale Law written by another engineer
  for the answer evaluation, its model built from its site.

Held-out sets are only reported, never tuned on. The tuning set (not printed by default:
``--tuning``) is the first 30 questions to Willow Creek Vet, its model built from its site.

    .venv/bin/python benchmarks/voice_wer.py [--show] [--tuning]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.agent.clinic import PAGES
from tests.voice.caller import speech
from voice_heldout import BUSINESSES, PLUMBER, law_firm
from voice_sentences import SENTENCES

CLINIC = ["Bright Smile Dental", "Thanks for calling Bright Smile Dental, how can I help?"]


def word_errors(reference: list[str], heard: list[str]) -> int:
    """Word-level edit distance (substitutions, insertions, deletions)."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            current = min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
            previous, row[j] = row[j], current
    return row[-1]


def words(sentence: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", sentence.lower().replace("-", " "))


def site(slug: str) -> list[str]:
    """The business's name, greeting and pages' text as a sync stores them."""
    from aicaller.knowledge.documentation_scraper.extract import extract_html  # noqa: PLC0415

    business = json.loads((BUSINESSES / slug / "business.json").read_text())
    pages = [extract_html(page.read_bytes()) for page in sorted((BUSINESSES / slug).glob("site/*"))]
    return [business["name"], business["greeting"]] + [f"{p.title}\n{p.markdown}" for p in pages]


def questions(slug: str, count: int = 30) -> list[str]:
    found = json.loads((BUSINESSES / slug / "questions.json").read_text())["questions"]
    return [q["question"] for q in found if q["kind"] == "answerable"][:count]


async def _audio(sentence: str) -> bytes:
    from pipecat.audio.utils import create_stream_resampler, ulaw_to_pcm  # noqa: PLC0415

    resampler = create_stream_resampler(quality="QQ")  # as voice/serializer.py
    pcm: bytes = await ulaw_to_pcm(speech(sentence), 8000, 16000, resampler)
    return pcm


async def decode(decoder: Any, sentences: list[str]) -> dict[str, Any]:
    """Word error rate, CPU seconds per second of audio, and what was heard."""
    errors = total = 0
    cpu = audio_seconds = 0.0
    heard: list[tuple[str, str]] = []
    for sentence in sentences:
        pcm = await _audio(sentence)
        started = time.process_time()
        decoder.start_utt()
        for offset in range(0, len(pcm), 3200):  # fed in 0.1 s chunks, as on a call
            decoder.process_raw(pcm[offset : offset + 3200], False, False)
        decoder.end_utt()
        cpu += time.process_time() - started
        audio_seconds += len(pcm) / 32000
        text = decoder.hyp().hypstr if decoder.hyp() else ""
        errors += word_errors(words(sentence), text.split())
        total += len(words(sentence))
        heard.append((sentence, text))
    return {"wer": errors / total, "words": total, "cpu": cpu / audio_seconds, "heard": heard}


async def compare(name: str, texts: list[str], sentences: list[str]) -> dict[str, Any]:
    """The set decoded with the general model and with the business's."""
    from pocketsphinx import Decoder  # noqa: PLC0415

    from aicaller.voice.speech.business_lm import build  # noqa: PLC0415
    from aicaller.voice.speech.pocketsphinx_stt import (  # noqa: PLC0415
        DECODER_SETTINGS,
        business_decoder,
    )

    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()
        model = build(texts, Path(tmp), "bench")
        built = time.process_time() - started
        general = await decode(Decoder(**DECODER_SETTINGS), sentences)
        business = await decode(business_decoder(model), sentences)
    return {"set": name, "sentences": len(sentences), "general": general,
            "business": business, "build_cpu": built}  # fmt: skip


async def all_sets(*, tuning: bool = False) -> list[dict[str, Any]]:
    sets = [("dev (clinic)", CLINIC + list(PAGES.values()), SENTENCES),
            ("plumber, held out", site("ridgeline_plumbing_hvac"), PLUMBER),
            ("law firm, held out", site("thornton_vale_law"), law_firm())]  # fmt: skip
    if tuning:
        sets.append(("tuning (vet)", site("willow_creek_vet"), questions("willow_creek_vet")))
    return [await compare(*one) for one in sets]


def table(results: list[dict[str, Any]]) -> str:
    lines = ["set                   sentences  words   WER general -> business   "
             "CPU s per audio s general -> business   model build CPU s"]  # fmt: skip
    for r in results:
        general, business = r["general"], r["business"]
        lines.append(
            f"{r['set']:22}{r['sentences']:9}{general['words']:7}"
            f"{general['wer']:13.1%} -> {business['wer']:6.1%}"
            f"{general['cpu']:24.3f} -> {business['cpu']:.3f}{r['build_cpu']:19.2f}"
        )
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print what was heard")
    parser.add_argument("--tuning", action="store_true", help="also the tuning set (vet)")
    args = parser.parse_args()
    results = await all_sets(tuning=args.tuning)
    print(table(results))
    if args.show:
        for r in results:
            for (said, general), (_, business) in zip(
                r["general"]["heard"], r["business"]["heard"], strict=True
            ):
                print(f"{r['set'][:8]:8} {said!r}\n         general  {general!r}\n"
                      f"         business {business!r}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
