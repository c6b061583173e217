"""Answers callers can trust (issue 20): page retrieval and agent dialogues, each beside a plain
BM25 baseline measured in the same run, on data nobody tuned for (``benchmarks/answer_data/``).

Runs ``answer_eval_retrieval.py`` (documentation sets and the businesses' answerable questions:
top-1 / top-3 page hit, product search against bm25s) in this process, then
``answer_eval_dialogues.py`` (the agent against a BM25 answerer, per business) as a process of
its own with the same ``--data``, when that script is present. Held-out sets print totals only.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/answer_eval.py [--engine sqlite|postgresql] [--sets ...]
        [--misses] [--skip-retrieval] [--skip-dialogues]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import answer_eval_retrieval

DIALOGUES = Path(__file__).resolve().parent / "answer_eval_dialogues.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    answer_eval_retrieval.add_arguments(parser)
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--skip-dialogues", action="store_true")
    args = parser.parse_args()
    if not args.skip_retrieval:
        asyncio.run(answer_eval_retrieval.run(args))
    if args.skip_dialogues:
        return 0
    if not DIALOGUES.exists():
        print(f"\nDialogues: {DIALOGUES.name} is not there yet: skipped")
        return 0
    print(flush=True)
    command = [sys.executable, str(DIALOGUES), "--data", str(args.data)]
    return subprocess.run(command, check=False).returncode  # noqa: S603 - our own script


if __name__ == "__main__":
    sys.exit(main())
