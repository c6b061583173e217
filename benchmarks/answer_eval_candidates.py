"""Where the offline agent's sentence choice loses answers (ADR 0039): every candidate
sentence of the search's first twelve chunks, each judged on its own, on the development
businesses (held-out ones are refused).

Every question is asked once with the decision always saying yes and every sentence of the
first ``--chunks`` chunks made a candidate. For each candidate, what would be said of it
(``passage.window``, with the yes/no lead) is judged against the question's facts by the
dialogue judge. Printed: how many answerable questions have a right candidate in the first
1, 3, 6 and 12 chunks, and how many the agent's choice gets right with no decision, for the
lower-chunk penalties given (``--penalties``), choosing as ``grounded.grounded_answer`` does
(its price and quantity filters, its tie-breaks). ``--save``/``--load`` keep the candidates.

    .venv/bin/python benchmarks/answer_eval_candidates.py [--save c.json | --load c.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import answer_eval_dialogues as dialogues
from answer_eval_dialogues import HERE, businesses, evaluate_business
from answer_eval_judge import has_facts, judge

from aicaller.agent import candidates, grounded
from aicaller.agent.asked import counted, yes_no_lead
from aicaller.agent.passage import section_headings, window
from aicaller.agent.protocol import AgentReply
from aicaller.core.logging import configure_logging

Row = dict[str, Any]


async def collect(slugs: list[str], chunks: int) -> list[Row]:
    """Each question's candidates, each judged on what would be said of it."""
    chosen = businesses(HERE / "answer_data", slugs)
    if held := [business.slug for business in chosen if business.held_out]:
        raise SystemExit(f"held out, never looked at: {', '.join(held)}")
    state: Row = {}
    rows: list[Row] = []
    kind_of, spoken_of, not_there_of, answering_of = (
        grounded.question_kind, candidates.spoken, grounded.names_what_is_not_there,
        candidates.answering,
    )  # fmt: skip

    def kind(question: str) -> str:
        state.clear()
        state.update(question=question, asked=kind_of(question), candidates=[], not_there=False)
        return str(state["asked"])

    def spoken(candidate: Any, asked: Any) -> Any:
        said = spoken_of(candidate, asked)
        if said is not None:
            thing = asked.wanted.present(counted(state["question"]) or "")
            lead = yes_no_lead(section_headings(said.hit), said.spoken, True)
            fact = asked.fact
            state["candidates"].append({
                "rank": said.rank, "index": said.index, "raw": candidate.support,
                "support": said.support, "has_fact": said.has_fact, "negative": said.negative,
                "fact_in_raw": fact is not None and fact(said.said[said.index]),
                "fact_asked": fact is not None, "thing": thing <= asked.wanted.present(said.spoken),
                "said": (lead if asked.kind == "yes_no" else "")
                + window(said.hit, said.said, said.index, asked.wanted.searched),
            })  # fmt: skip
        return said

    def answering(found: list[Any], asked: Any, by_words: bool) -> Any:
        # The list items a yes/no question leaves out (``candidates.answering``).
        kept = {(c.rank, c.index) for c in answering_of(found, asked, by_words)}
        if asked.kind == "yes_no":
            for candidate in state.get("candidates", []):
                candidate["other_topic"] = (candidate["rank"], candidate["index"]) not in kept
        return answering_of(found, asked, by_words)

    def not_there(*args: Any) -> bool:
        state["not_there"] = not_there_of(*args)
        return bool(state["not_there"])

    def judged(question: dict[str, Any], reply: AgentReply) -> str:
        facts = question.get("answer_facts")
        for candidate in state.get("candidates", []):
            candidate["right"] = bool(facts) and has_facts(candidate["said"], facts)
        rows.append({"business": question["_business"], "kind": question["kind"], **state})
        state.clear()
        return judge(question, reply)

    grounded.CONSIDERED, grounded.RESCORED = chunks, 10**6  # type: ignore[misc]
    grounded.question_kind, candidates.spoken = kind, spoken  # type: ignore[assignment]
    candidates.answering = answering  # type: ignore[assignment]
    grounded.names_what_is_not_there = not_there  # type: ignore[assignment]
    grounded.accept = lambda evidence: True  # type: ignore[assignment]
    dialogues.judge = judged  # type: ignore[attr-defined]
    for business in chosen:
        for question in business.questions:
            question["_business"] = business.slug
        await evaluate_business(business)
    return rows


def choice(row: Row, chunks: int, penalty: float) -> Row | None:
    """The candidate ``grounded_answer`` would choose among the first ``chunks`` chunks."""
    if not row.get("candidates") or (row["asked"] == "yes_no" and row["not_there"]):
        return None
    price = row["asked"] == "price"
    pool = sorted(
        (c for c in row["candidates"] if c["rank"] < chunks and not c.get("other_topic")),
        key=lambda c: (price and not c["fact_in_raw"], -c["raw"]),
    )[: 12 if chunks <= 6 else None]  # grounded.RESCORED, as main re-weighs
    if price and any(c["has_fact"] for c in pool):
        pool = [c for c in pool if c["has_fact"]]
    elif pool and pool[0]["fact_asked"]:
        pool = [c for c in pool if c["has_fact"] and c["thing"]]
    return max(
        pool,
        key=lambda c: (
            round(c["support"] - (penalty if c["rank"] else 0), 6),
            c["negative"],
            -c["rank"],
            -c["index"],
        ),
        default=None,
    )


def report(rows: list[Row], penalties: list[float]) -> None:
    answerable = [row for row in rows if row["kind"] == "answerable"]
    print(f"answerable questions: {len(answerable)}")
    for depth in (1, 3, 6, 12):
        found = sum(
            any(c["right"] and c["rank"] < depth for c in row.get("candidates", []))
            for row in answerable
        )
        print(f"  a right candidate in the first {depth:2d} chunks: {found}")
    print("| chunks | penalty | chosen right | chosen wrong | unanswerable answered |")
    print("|---|---|---|---|---|")
    for chunks in (6, 12):
        for penalty in penalties:
            counts: Counter[str] = Counter()
            for row in rows:
                if row["kind"] == "urgent" or (best := choice(row, chunks, penalty)) is None:
                    continue
                right = row["kind"] == "answerable" and best["right"]
                counts["unanswerable" if row["kind"] == "unanswerable" else str(right)] += 1
            print(f"| {chunks} | {penalty} | {counts['True']} | {counts['False']} "
                  f"| {counts['unanswerable']} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--business", nargs="*", help="slugs (default: every one not held out)")
    parser.add_argument("--chunks", type=int, default=12)
    parser.add_argument("--penalties", type=float, nargs="*", default=[0.0, 0.1, 0.2, 0.3])
    parser.add_argument("--save", type=Path)
    parser.add_argument("--load", type=Path)
    args = parser.parse_args()
    configure_logging(level="WARNING")
    if args.load:
        rows = json.loads(args.load.read_text())
    else:
        slugs = args.business or [
            b.slug for b in businesses(HERE / "answer_data", None) if not b.held_out
        ]
        rows = asyncio.run(collect(slugs, args.chunks))
        if args.save:
            args.save.write_text(json.dumps(rows))
    report(rows, args.penalties)


if __name__ == "__main__":
    main()
