"""How often the offline agent answers questions that were written for another business: a
probe of wrong answers that needs no held-out business.

Every development business's site is asked the answerable and unanswerable questions of the
next development business in alphabetical order (a vet's callers asking a law office). Nearly
all of them are out of the site's scope, so an answer is most likely a wrong one. A few are
not: payment cards, Saturday hours. ``--show`` prints each answer to be read. Held-out
businesses are never used.

    .venv/bin/python benchmarks/answer_eval_crossed.py [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_dialogues import HERE, businesses, evaluate_business

from aicaller.core.logging import configure_logging


async def crossed(show: bool) -> None:
    chosen = [b for b in businesses(HERE / "answer_data", None) if not b.held_out]
    total = answered = 0
    for index, site in enumerate(chosen):
        asker = chosen[(index + 1) % len(chosen)]
        questions = [
            {**q, "kind": "unanswerable", "id": f"{asker.slug}:{q['id'].rsplit('-', 1)[-1]}"}
            for q in asker.questions
            if q["kind"] != "urgent"
        ]
        result = await evaluate_business(replace(site, questions=questions))
        said = result.agent.kinds["unanswerable"] - result.agent.counts["unanswerable_declined"]
        total += len(questions)
        answered += said
        print(f"{site.slug} asked {asker.slug}'s questions: {said}/{len(questions)} answered")
        if show:
            for line in result.lines:
                if "unanswerable_answered" in line:
                    print(line)
    print(f"total: {answered}/{total} answered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="each answer given")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    asyncio.run(crossed(args.show))


if __name__ == "__main__":
    main()
