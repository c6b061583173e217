"""Urgency by likeness: how an utterance's nearest labelled callers' sentences (by an
embeddings endpoint's vectors) would judge it, beside the rules (``urgent_situation``), on
sentences the exemplars do not include. A measurement for a decision, not a product feature.

The exemplars are the callers' sentences of the urgency tests (the first three sets and ADR
0035's lists) and the development businesses' questions, urgent or not. A sentence's score is
the mean cosine of its ``k`` nearest urgent exemplars minus that of its ``k`` nearest others;
above ``margin`` it is judged urgent.

- default: the fourth set (``tests/agent/urgency_sets/fourth.json``), not among the
  exemplars, for a grid of ``k`` and margins (development: choose here);
- ``--held-out``: one ``k`` and margin, chosen before, with the fourth set added to the
  exemplars, on the fifth set and on the held-out businesses' questions: totals only.

    .venv/bin/python benchmarks/embeddings_server.py --port 8766 &
    .venv/bin/python benchmarks/urgency_similar.py --embeddings http://127.0.0.1:8766/v1 \
        [--held-out --k 3 --margin 0.06]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_business import trade_of
from tests.agent import test_urgency_callers_everyday as first_everyday
from tests.agent import test_urgency_callers_second as second
from tests.agent import test_urgency_callers_third as third
from tests.agent import test_urgency_callers_urgent as first_urgent
from tests.agent import test_urgency_everyday as adr_0035

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

ROOT = Path(__file__).resolve().parents[1]
BUSINESSES = ROOT / "benchmarks" / "answer_data" / "business"
SETS = ROOT / "tests" / "agent" / "urgency_sets"
DEVELOPMENT = ("desert_oak_auto", "lakeside_electric", "maple_street_movers",
               "sunnyside_pest_control", "thornton_vale_law", "willow_creek_vet")  # fmt: skip
HELD_OUT = ("bayside_locksmith", "granite_peak_roofing", "harborview_dental",
            "ridgeline_plumbing_hvac")  # fmt: skip

Row = tuple[Trade, str, bool]  # trade, what the caller said, urgent


def _set(name: str) -> list[Row]:
    return [(Trade(x["trade"]), x["text"], x["urgent"])
            for x in json.loads((SETS / f"{name}.json").read_text())]  # fmt: skip


def _business(slug: str) -> list[Row]:
    folder = BUSINESSES / slug
    trade = trade_of(json.loads((folder / "business.json").read_text())["trade"])
    questions = json.loads((folder / "questions.json").read_text())["questions"]
    return [(trade, q["question"], q["kind"] == "urgent") for q in questions]


def exemplars(with_fourth: bool) -> list[Row]:
    rows: list[Row] = [(t, s, True) for t, s in first_urgent.URGENT + second.URGENT
                       + third.URGENT + adr_0035.URGENT]  # fmt: skip
    rows += [(t, s, False) for t, s in first_everyday.EVERYDAY + second.EVERYDAY
             + third.EVERYDAY + adr_0035.EVERYDAY]  # fmt: skip
    for slug in DEVELOPMENT:
        rows += _business(slug)
    return rows + (_set("fourth") if with_fourth else [])


def embed(client: httpx.Client, texts: Sequence[str]) -> np.ndarray:
    vectors = []
    for start in range(0, len(texts), 64):
        reply = client.post(
            "/embeddings", json={"model": "bench", "input": list(texts[start : start + 64])}
        )
        reply.raise_for_status()
        vectors += [item["embedding"] for item in reply.json()["data"]]
    matrix = np.array(vectors, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def likeness(known: list[Row], known_vectors: np.ndarray, asked: np.ndarray, k: int) -> np.ndarray:
    """Per asked sentence (its vector): mean cosine of its k nearest urgent exemplars minus
    that of its k nearest others."""
    urgent = known_vectors[[i for i, row in enumerate(known) if row[2]]]
    other = known_vectors[[i for i, row in enumerate(known) if not row[2]]]
    near_urgent = np.sort(asked @ urgent.T, axis=1)[:, -k:].mean(axis=1)
    near_other = np.sort(asked @ other.T, axis=1)[:, -k:].mean(axis=1)
    return np.asarray(near_urgent - near_other)


def _line(name: str, judged: np.ndarray, truth: np.ndarray) -> str:
    return (f"| {name} | {int((judged & truth).sum())}/{int(truth.sum())} | "
            f"{int((judged & ~truth).sum())}/{int((~truth).sum())} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embeddings", required=True, help="OpenAI-compatible base URL")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--margin", type=float, default=0.06)
    args = parser.parse_args()
    with httpx.Client(base_url=args.embeddings, timeout=120) as client:
        known = exemplars(with_fourth=args.held_out)
        known_vectors = embed(client, [text for _, text, _ in known])
        targets = ([("fifth set (held out)", _set("fifth")),
                    ("held-out businesses' questions", [r for s in HELD_OUT for r in _business(s)])]
                   if args.held_out else [("fourth set", _set("fourth"))])  # fmt: skip
        print(f"exemplars: {sum(r[2] for r in known)} urgent, {sum(not r[2] for r in known)} other")
        print("| sentences, judge | urgent heard | others sent |\n|---|---|---|")
        for name, asked in targets:
            truth = np.array([urgent for _, _, urgent in asked])
            said = embed(client, [text for _, text, _ in asked])
            rules = np.array(
                [urgent_situation(text, trade) is not None for trade, text, _ in asked]
            )
            print(_line(f"{name}, rules", rules, truth))
            grid = [(args.k, args.margin)] if args.held_out else [
                (k, m) for k in (1, 3, 5) for m in (0.0, 0.03, 0.06, 0.1)]  # fmt: skip
            for k, margin in grid:
                similar = likeness(known, known_vectors, said, k) > margin
                print(_line(f"{name}, likeness k={k} margin {margin}", similar, truth))
                print(
                    _line(
                        f"{name}, rules or likeness k={k} margin {margin}", rules | similar, truth
                    )
                )


if __name__ == "__main__":
    main()
