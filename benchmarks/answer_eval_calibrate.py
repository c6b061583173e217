"""Calibrating the offline agent's evidence thresholds (``aicaller.agent.decision.MIN_SUPPORT``)
per kind of question, on the dialogue evaluation's businesses that are not held out; with
``--embeddings URL``, ``MIN_SUPPORT_WITH_MEANING``, the agent weighing sentences by meaning too.

Every question is asked with no threshold at all (every passage the search finds may answer);
then, for each kind of question and each threshold, the table counts the answerable questions
that would be answered correctly and wrongly and the unanswerable ones that would be answered,
and the last table picks, per kind, the lowest threshold with the best
``correct - COST * (wrong + unanswerable answered)``: a wrong answer costs more than a declined
one, which still gets a callback. Held-out businesses are refused: nothing is chosen by
looking at them.

    .venv/bin/python benchmarks/answer_eval_calibrate.py [--data benchmarks/answer_data]
        [--business SLUG ...] [--embeddings http://127.0.0.1:8765/v1]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_dialogues import HERE, businesses, evaluate_business

from aicaller.agent import decision, grounded
from aicaller.core.logging import configure_logging

STEPS = [step / 20 for step in range(21)]
COST = 2  # a wrong answer (or an answered unanswerable question) against a right one


Answered = list[tuple[str, str, float, str]]


async def answers(
    data: Path, slugs: list[str] | None, embeddings: str | None
) -> tuple[Answered, Answered]:
    """What was answered with no threshold: by the agent, and with ``embeddings`` too."""
    chosen = businesses(data, slugs)
    held_out = [business.slug for business in chosen if business.held_out]
    if held_out:
        raise SystemExit(f"held out, never calibrated on: {', '.join(held_out)}")
    lexical: Answered = []
    hybrid: Answered = []
    for business in chosen:
        result = await evaluate_business(business, embeddings)
        lexical += result.answers
        hybrid += result.hybrid_answers
    return lexical, hybrid


def calibrate(title: str, found: Answered) -> None:
    """Per kind of question and threshold, what would be answered; then the choice."""
    print(f"\n{title}\n\n| question kind | threshold | correct | wrong | unanswerable answered |")
    print("|---|---|---|---|---|")
    chosen: dict[str, tuple[float, int]] = {}
    for kind in decision.MIN_SUPPORT:
        mine = [item for item in found if item[1] == kind]
        for step in STEPS:
            kept = [item for item in mine if item[2] >= step]
            correct = sum(item[3] == "correct" for item in kept)
            wrong = sum(item[3] == "wrong" for item in kept)
            unanswerable = sum(item[0] == "unanswerable" for item in kept)
            print(f"| {kind} | {step:.2f} | {correct} | {wrong} | {unanswerable} |")
            value = correct - COST * (wrong + unanswerable)
            if kind not in chosen or value > chosen[kind][1]:
                chosen[kind] = (step, value)
    print("\n| question kind | chosen threshold | value |\n|---|---|---|")
    for kind, (step, value) in chosen.items():
        print(f"| {kind} | {step:.2f} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "answer_data")
    parser.add_argument("--business", nargs="*", help="slugs (default: every one not held out)")
    parser.add_argument(
        "--embeddings", metavar="URL", help="also calibrate MIN_SUPPORT_WITH_MEANING on it"
    )
    args = parser.parse_args()
    configure_logging(level="WARNING")
    slugs = args.business or [
        business.slug for business in businesses(args.data, None) if not business.held_out
    ]
    for kind in decision.MIN_SUPPORT:
        decision.MIN_SUPPORT[kind] = grounded.MIN_SUPPORT_WITH_MEANING[kind] = -1.0
    lexical, hybrid = asyncio.run(answers(args.data, slugs, args.embeddings))
    calibrate("MIN_SUPPORT (words alone)", lexical)
    if args.embeddings:
        calibrate("MIN_SUPPORT_WITH_MEANING (with the embeddings endpoint)", hybrid)


if __name__ == "__main__":
    main()
