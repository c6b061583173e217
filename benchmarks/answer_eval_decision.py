"""Measuring the offline agent's answer decision (``aicaller.agent.decision``) honestly, and a
logistic regression on more of the chosen sentence's evidence against it: leave-one-business-out
beside in-sample (ADR 0036).

Every question of the development businesses (held-out ones are refused) is asked with the
decision always saying yes; for each reply that came from the knowledge, the chosen sentence's
``Evidence`` and the judge's outcome are kept (``--save``; ``--load`` fits again without asking).
A logistic regression (L2, Newton's method, numpy) is fitted on right (1) against wrong or
answered-unanswerable (0) sentences; the cutoff is the lowest probability with the best
``correct - COST x (wrong + unanswerable answered)`` on the businesses fitted on. Reported per
business, with what the rest of the agent answered (hours, contacts) counted as it was:

- ``thresholds``: ``decision.MIN_SUPPORT`` per kind, the product's decision;
- ``thresholds leave-one-out``: per kind, thresholds chosen on the other businesses;
- ``in-sample``: the regression fitted on all the development businesses, scored on them;
- ``leave-one-out``: each business scored by a fit on the others, the honest number;
- ``thresholds or regression``: the regression saying what the thresholds would not.

    .venv/bin/python benchmarks/answer_eval_decision.py [--data benchmarks/answer_data]
        [--business SLUG ...] [--save rows.json | --load rows.json] [--cost 3] [--l2 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import answer_eval_dialogues as dialogues
from answer_eval_dialogues import HERE, businesses, evaluate_business
from answer_eval_judge import judge

from aicaller.agent import decision, grounded
from aicaller.agent.protocol import AgentReply, Intent
from aicaller.core.logging import configure_logging

PER_KIND = decision.MIN_SUPPORT  # the product's decision: a support threshold per kind
FEATURES = ("support", "key_in_sentence", "has_fact", "yes_no")
Row = dict[str, Any]  # business, kind (answerable...), outcome, evidence (or None)


async def collect(data: Path, slugs: list[str]) -> list[Row]:
    """Each question's outcome with the decision always saying yes, and its evidence."""
    chosen = businesses(data, slugs)
    if held := [business.slug for business in chosen if business.held_out]:
        raise SystemExit(f"held out, never fitted on: {', '.join(held)}")
    rows: list[Row] = []
    seen: list[decision.Evidence] = []

    def record(evidence: decision.Evidence) -> bool:
        seen.append(evidence)
        return True

    def judged(question: dict[str, Any], reply: AgentReply) -> str:
        outcome = judge(question, reply)  # the judge itself, unchanged
        evidence = seen[-1] if seen and reply.intent is Intent.ANSWER else None
        rows.append({
            "business": question["_business"], "kind": question["kind"], "outcome": outcome,
            "evidence": evidence and asdict(evidence), "question": question["question"],
            "reply": reply.text,
        })  # fmt: skip
        seen.clear()
        return outcome

    grounded.accept = record  # type: ignore[attr-defined]
    dialogues.judge = judged  # type: ignore[attr-defined]
    for business in chosen:
        for question in business.questions:
            question["_business"] = business.slug
        await evaluate_business(business)
    return rows


def features(evidence: dict[str, Any]) -> list[float]:
    """The regression's inputs (``FEATURES``) from a row's ``decision.Evidence``."""
    return [
        evidence["support"],
        float(evidence["key_in_sentence"]),
        float(evidence["has_fact"]),
        float(evidence["kind"] == "yes_no"),
    ]


def probability(evidence: dict[str, Any], coefficients: tuple[float, ...]) -> float:
    """The regression's probability that the sentence answers the question."""
    *weights, intercept = coefficients
    value = intercept + sum(w * x for w, x in zip(weights, features(evidence), strict=True))
    return 1 / (1 + math.exp(-value))


def _matrix(rows: list[Row]) -> np.ndarray:
    return np.array([features(row["evidence"]) for row in rows], float)


def fit(rows: list[Row], l2: float) -> tuple[float, ...]:
    """Logistic regression by Newton's method, features standardised, L2 on the weights."""
    rows = [row for row in rows if row["evidence"]]
    x = _matrix(rows)
    y = np.array([row["outcome"] == "correct" for row in rows], float)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.diag([l2] * (z.shape[1] - 1) + [0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hessian, gradient)
    weights = w[:-1] / scale
    return (*map(float, weights), float(w[-1] - weights @ mean))


def outcome(row: Row, said: bool) -> str:
    """The row's outcome when the decision says ``said``."""
    if row["evidence"] is None or said:
        return str(row["outcome"])
    return "declined" if row["kind"] == "answerable" else "unanswerable_declined"


def value(rows: list[Row], decide: Any, cost: float) -> float:
    counts = Counter(outcome(row, decide(row)) for row in rows)
    return counts["correct"] - cost * (counts["wrong"] + counts["unanswerable_answered"])


def _never(row: Row) -> bool:
    return False


def cutoff(
    rows: list[Row], coefficients: tuple[float, ...], cost: float, base: Any = _never
) -> float:
    """The lowest probability with the best value on ``rows``, for the regression alone or
    for the regression saying what ``base`` (a decider) would not."""
    scored = [row for row in rows if row["evidence"]]
    chances = sorted({_chance(row, coefficients) for row in scored})
    best = (value(rows, base, cost), 1.0)
    for chance in chances:
        found = value(
            rows, lambda row, c=chance: base(row) or _chance(row, coefficients) >= c, cost
        )
        if found > best[0]:
            best = (found, chance)
    return best[1]


def _chance(row: Row, coefficients: tuple[float, ...]) -> float:
    if row["evidence"] is None:
        return 0.0
    return probability(row["evidence"], coefficients)


def _threshold(row: Row, thresholds: dict[str, float] = PER_KIND) -> bool:
    evidence = row["evidence"]
    return bool(evidence) and evidence["support"] >= thresholds[evidence["kind"]]


def thresholds(rows: list[Row], cost: float) -> dict[str, float]:
    """Per kind, the lowest support threshold with the best value on ``rows`` (as
    ``answer_eval_calibrate.py`` chooses ``decision.MIN_SUPPORT``)."""
    chosen = {}
    for kind in PER_KIND:
        mine = [row for row in rows if row["evidence"] and row["evidence"]["kind"] == kind]
        steps = [2.0, *sorted({row["evidence"]["support"] for row in mine})]

        def scored(step: float, mine: list[Row] = mine, kind: str = kind) -> tuple[float, float]:
            return value(mine, lambda asked: _threshold(asked, {kind: step}), cost), -step

        chosen[kind] = max(steps, key=scored)
    return chosen


def report(rows: list[Row], cost: float, l2: float) -> None:
    names = sorted({row["business"] for row in rows})
    coefficients = fit(rows, l2)
    cut = cutoff(rows, coefficients, cost)
    deciders: dict[str, dict[str, Any]] = {
        "thresholds": {}, "thresholds leave-one-out": {}, "in-sample": {}, "leave-one-out": {},
        "thresholds or regression, in-sample": {}, "thresholds or regression, leave-one-out": {},
    }  # fmt: skip
    either = cutoff(rows, coefficients, cost, _threshold)
    for name in names:
        others = [row for row in rows if row["business"] != name]
        fitted = fit(others, l2)
        left_cut = cutoff(others, fitted, cost)
        deciders["thresholds"][name] = _threshold
        per_kind = thresholds(others, cost)
        deciders["thresholds leave-one-out"][name] = (
            lambda row, t=per_kind: _threshold(row, t)
        )  # fmt: skip
        deciders["thresholds or regression, in-sample"][name] = (
            lambda row: _threshold(row) or _chance(row, coefficients) >= either
        )  # fmt: skip
        left_either = cutoff(others, fitted, cost, lambda row, t=per_kind: _threshold(row, t))
        deciders["thresholds or regression, leave-one-out"][name] = (
            lambda row, t=per_kind, f=fitted, c=left_either: (
                _threshold(row, t) or _chance(row, f) >= c
            )
        )  # fmt: skip
        deciders["in-sample"][name] = lambda row: _chance(row, coefficients) >= cut
        deciders["leave-one-out"][name] = (
            lambda row, f=fitted, c=left_cut: _chance(row, f) >= c
        )  # fmt: skip
    print("| business | decision | answerable correct | wrong | unanswerable answered |")
    print("|---|---|---|---|---|")
    for label, per in deciders.items():
        total: Counter[str] = Counter()
        for name in names:
            mine = [row for row in rows if row["business"] == name]
            counts = Counter(outcome(row, per[name](row)) for row in mine)
            total += counts
            answerable = sum(row["kind"] == "answerable" for row in mine)
            print(f"| {name} | {label} | {counts['correct']}/{answerable} | {counts['wrong']} "
                  f"| {counts['unanswerable_answered']} |")  # fmt: skip
        answerable = sum(row["kind"] == "answerable" for row in rows)
        print(f"| all | {label} | {total['correct']}/{answerable} | {total['wrong']} "
              f"| {total['unanswerable_answered']} |")  # fmt: skip
    print("\nThe regression fitted on every business (on the raw features):")
    for feature, weight in zip((*FEATURES, "intercept"), coefficients, strict=True):
        print(f"    {feature}: {weight:.4f}")
    print(f"cutoff {cut:.4f} alone, {either:.4f} beside the thresholds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "answer_data")
    parser.add_argument("--business", nargs="*", help="slugs (default: every one not held out)")
    parser.add_argument("--save", type=Path, help="keep the rows asked for in this file")
    parser.add_argument("--load", type=Path, help="fit on rows kept before; ask nothing")
    parser.add_argument("--cost", type=float, default=3.0, help="a wrong answer against a right")
    parser.add_argument("--l2", type=float, default=5.0)
    args = parser.parse_args()
    configure_logging(level="WARNING")
    if args.load:
        rows = json.loads(args.load.read_text())
    else:
        slugs = args.business or [b.slug for b in businesses(args.data, None) if not b.held_out]
        rows = asyncio.run(collect(args.data, slugs))
        if args.save:
            args.save.write_text(json.dumps(rows))
    report(rows, args.cost, args.l2)


if __name__ == "__main__":
    main()
