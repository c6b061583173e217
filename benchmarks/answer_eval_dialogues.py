"""Agent dialogues on fictional small businesses: does the agent answer correctly, decline
honestly and hand emergencies over, beside a plain BM25 answerer measured in the same run?

For each business of ``<data>/business/<slug>/`` (``answer_eval_business.py`` sets it up: its
configuration, its site served from 127.0.0.1 and synced through the product), every question
of its ``questions.json`` is asked as the first turn of a new web test call through
``ConversationService.respond``, as a caller would, and the reply is judged:

- answerable: **correct** when the agent answered (from its knowledge or its configuration)
  and the answer contains one alternative of every group of ``answer_facts``
  (case-insensitive); **declined** when it did not answer; **wrong** otherwise;
- unanswerable: **declined** when it did not answer (it should offer a callback);
- urgent: **handled** when the call was transferred or escalated at urgent priority.

"Wrong (all)" counts answerable questions answered wrongly and unanswerable ones answered,
over all questions; "others sent to a person" counts the answerable and unanswerable ones the
agent transferred or escalated at urgent priority (a false alarm: it counts as declined
above). The baseline speaks the best passage of plain BM25 (``bm25s``, English stemmer and
stop words, no tuning) over the chunks the product stored: it never declines and never hands
over. Held-out businesses print their totals only, marked "held out".

With ``--embeddings URL`` (an OpenAI-compatible endpoint, e.g. ``embeddings_server.py``'s),
the questions are asked a second time after the business's endpoint is configured through the
product and its embedding job has run (``answer_eval_hybrid.py``): the row "aicaller +
embeddings", from the same synced knowledge in the same run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/answer_eval_dialogues.py [--data benchmarks/answer_data]
        [--business SLUG ...] [--show] [--embeddings http://127.0.0.1:8765/v1]
    # --show: each question of non-held-out businesses (with embeddings when given)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import snowballstemmer
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_business import EvalBusiness, load_business, set_up
from answer_eval_hybrid import prepare
from answer_eval_judge import handed_over, judge, judge_baseline
from docs_site import serve

from aicaller.agent.agents import Agents
from aicaller.agent.conversation import ConversationService
from aicaller.agent.grounded import question_kind
from aicaller.agent.protocol import Intent
from aicaller.config import Settings
from aicaller.core.logging import configure_logging
from aicaller.database.models import Chunk
from aicaller.database.session import Database

HERE = Path(__file__).resolve().parent
OUTCOMES = ("correct", "declined", "wrong", "unanswerable_declined", "urgent_handled")


@dataclass
class Score:
    """Outcomes counted over one business's questions for one answerer."""

    counts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.kinds[kind] += 1
        self.counts[outcome] += 1

    def row(self) -> list[str]:
        answerable, unanswerable = self.kinds["answerable"], self.kinds["unanswerable"]
        wrong_all = self.counts["wrong"] + unanswerable - self.counts["unanswerable_declined"]
        return [
            _share(self.counts["correct"], answerable),
            _share(self.counts["declined"], answerable),
            _share(self.counts["wrong"], answerable),
            _share(self.counts["unanswerable_declined"], unanswerable),
            _share(self.counts["urgent_handled"], self.kinds["urgent"]),
            _share(wrong_all, sum(self.kinds.values())),
            _share(self.counts["others_sent"], answerable + unanswerable),
        ]


@dataclass
class BusinessResult:
    slug: str
    held_out: bool
    agent: Score = field(default_factory=Score)
    baseline: Score = field(default_factory=Score)
    hybrid: Score | None = None  # the agent with the business's embeddings endpoint
    lines: list[str] = field(default_factory=list)  # per question, never for held-out sets
    # (kind, question kind, support, outcome) per answered question, never for held-out sets
    answers: list[tuple[str, str, float, str]] = field(default_factory=list)
    hybrid_answers: list[tuple[str, str, float, str]] = field(default_factory=list)


def _share(count: int, total: int) -> str:
    return f"{count}/{total} {100 * count / total:.0f}%" if total else "-"


class Bm25Answerer:
    """Plain BM25 over the product's stored chunks, as published: bm25s with its English stop
    words and snowball stemmer, default parameters."""

    def __init__(self, passages: list[str]) -> None:
        self.passages = passages
        self.stemmer = snowballstemmer.stemmer("english")
        self.retriever = bm25s.BM25()
        tokens = bm25s.tokenize(passages, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.retriever.index(tokens, show_progress=False)

    def best(self, question: str) -> str:
        query = bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False
        )
        if not query.vocab:
            return self.passages[0]
        results, _ = self.retriever.retrieve(query, k=1, show_progress=False)
        return self.passages[int(results[0][0])]


async def _passages(database: Database, business_id: uuid.UUID) -> list[str]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(Chunk.heading_path, Chunk.text)
            .where(Chunk.business_id == business_id)
            .order_by(Chunk.document_id, Chunk.ordinal)
        )
        return [f"{heading}\n{text}" for heading, text in rows]


async def _ask(
    database: Database,
    business: EvalBusiness,
    business_id: uuid.UUID,
    score: Score,
    answers: list[tuple[str, str, float, str]],
    lines: list[str] | None,
) -> None:
    """Every question of the business as the first turn of a new call, judged into ``score``."""
    agents = Agents(Settings.model_validate({"environment": "test"}), http=None)
    for question in business.questions:
        async with database.transaction() as session:
            service = ConversationService(session, business_id, agents=agents)
            call = (await service.start_web_call({})).call
            reply = (await service.respond(call.id, question["question"])).reply
        outcome = judge(question, reply)
        score.add(question["kind"], outcome)
        if question["kind"] != "urgent" and handed_over(reply):
            score.counts["others_sent"] += 1
        if business.held_out:
            continue
        kind = question_kind(question["question"])
        if reply.intent is Intent.ANSWER:
            answers.append((question["kind"], kind, reply.confidence, outcome))
        if lines is not None:
            lines.append(
                f"  {question['id']:>6} {question['kind']:<12} {outcome:<22} {kind:<7}"
                f"{reply.intent}/{reply.action} c={reply.confidence:.2f} "
                f"{' '.join(reply.notes)} "
                f"Q: {question['question']}\n{'':>8}A: {reply.text[:300]}"
            )


async def evaluate_business(
    business: EvalBusiness, embeddings: str | None = None
) -> BusinessResult:
    """The business's questions to the agent, the agent with ``embeddings`` (an endpoint's
    base URL) when given, and the baseline, all on the same synced knowledge."""
    result = BusinessResult(business.slug, business.held_out)
    port, _ = serve(business.folder / "site", 0)
    with tempfile.TemporaryDirectory() as tmp:
        database, business_id = await set_up(business, Path(tmp), f"http://127.0.0.1:{port}/")
        try:
            baseline = Bm25Answerer(await _passages(database, business_id))
            for question in business.questions:
                passage = baseline.best(question["question"])
                result.baseline.add(question["kind"], judge_baseline(question, passage))
            lines = None if embeddings else result.lines
            await _ask(database, business, business_id, result.agent, result.answers, lines)
            if embeddings:
                hybrid = await prepare(database, business_id, embeddings, tmp)
                result.hybrid = Score()
                try:
                    with hybrid.active():
                        await _ask(
                            database, business, business_id, result.hybrid,
                            result.hybrid_answers, result.lines,
                        )  # fmt: skip
                finally:
                    await hybrid.close()
        finally:
            await database.dispose()
    return result


def businesses(data: Path, slugs: list[str] | None) -> list[EvalBusiness]:
    root = data / "business"
    folders = sorted(p for p in root.iterdir() if (p / "questions.json").is_file())
    chosen = [load_business(folder) for folder in folders if not slugs or folder.name in slugs]
    return sorted(chosen, key=lambda business: business.held_out)


async def evaluate(
    data: Path, slugs: list[str] | None = None, embeddings: str | None = None
) -> list[BusinessResult]:
    """Every business of ``data`` (or those named), held-out ones last."""
    return [await evaluate_business(b, embeddings) for b in businesses(data, slugs)]


HEADER = ["answerable correct", "declined", "wrong", "unanswerable declined", "urgent handled",
          "wrong (all)", "others sent to a person"]  # fmt: skip


def table(results: list[BusinessResult]) -> str:
    """The per-business table, agent and baseline side by side (markdown)."""
    lines = [
        "| business | answerer | " + " | ".join(HEADER) + " |",
        "|---|---|" + "---|" * len(HEADER),
    ]
    for result in results:
        name = result.slug + (" (held out)" if result.held_out else "")
        lines.append(f"| {name} | aicaller | " + " | ".join(result.agent.row()) + " |")
        if result.hybrid is not None:
            row = " | ".join(result.hybrid.row())
            lines.append(f"| {name} | aicaller + embeddings | {row} |")
        lines.append(f"| {name} | BM25 passage | " + " | ".join(result.baseline.row()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "answer_data")
    parser.add_argument("--business", nargs="*", help="slugs (default: every business)")
    parser.add_argument("--show", action="store_true", help="each question (not held-out ones)")
    parser.add_argument(
        "--embeddings", metavar="URL", help="also with this OpenAI-compatible endpoint (/v1)"
    )
    args = parser.parse_args()
    configure_logging(level="WARNING")
    results = asyncio.run(evaluate(args.data, args.business, args.embeddings))
    if args.show:
        for result in results:
            print(f"{result.slug}:\n" + "\n".join(result.lines))
    print(table(results))


if __name__ == "__main__":
    main()
