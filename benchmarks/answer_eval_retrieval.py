"""Page retrieval on documentation nobody tuned for: the product's search beside plain BM25.

For each set (``answer_eval_data.py``): the site is served from 127.0.0.1 and synced through the
product (a documentation source, its first sync, into a fresh SQLite or PostgreSQL database);
each question goes to the search service (no cache), whose results are mapped to page paths,
and to plain BM25 (bm25s, Snowball stemming, English stopwords, no tuning) over the pages the
product stored (title and extracted text), so both read exactly the same pages. Printed per
set: top-1 and top-3 page hit of each. Held-out sets print their totals only.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/answer_eval_retrieval.py [--sets django git] [--engine sqlite]
        [--misses [--why]] [--data DIR] [--embeddings URL [--first-pass]]

Environment: AICALLER_BENCH_PG (PostgreSQL runs drop and recreate ``--pg-database``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import Stemmer
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_data import DATA, PageSet, business_sets, doc_sets, relative_key
from answer_eval_hybrid import Hybrid, prepare
from bench_postgres import fresh_database
from crawl import first_sync
from docs_site import serve

from aicaller.config import Settings
from aicaller.core.logging import configure_logging
from aicaller.database.models import Document
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.embeddings import prefilter
from aicaller.knowledge.search.pages import page_evidence, pool_size, rank_by_page
from aicaller.knowledge.search.query import search_terms
from aicaller.knowledge.search.service import SearchService, backend_for
from aicaller.knowledge.search.synonyms import expansions

SEARCH_LIMIT = 20  # chunks asked of the product per question (the API's maximum)


@dataclass
class Score:
    top1: int = 0
    top3: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ranked: list[str], wanted: tuple[str, ...], label: str) -> bool:
        """Scores ``ranked``; whether it missed the top 3."""
        at = next((i for i, page in enumerate(ranked) if page in wanted), None)
        self.top1 += at == 0
        self.top3 += at is not None and at < 3
        if at is None or at >= 3:
            self.misses.append(f"{label} -> {ranked[:3]} (wanted {list(wanted)})")
        return at is None or at >= 3


@dataclass
class SetResult:
    name: str
    pages: int
    questions: int
    product: Score
    bm25: Score
    held_out: bool
    hybrid: Score | None = None  # with --embeddings
    fallbacks: int = 0  # hybrid searches that fell back to lexical (the endpoint timed out)


async def product_ranking(
    database: Database, business_id: uuid.UUID, question: str, base: str
) -> list[str]:
    """The pages of the product's search results, best first, each once."""
    async with database.transaction() as session:
        _, hits = await SearchService(session, business_id).search(question, limit=SEARCH_LIMIT)
    return list(dict.fromkeys(relative_key(hit.url or "", base) for hit in hits))


async def why(
    database: Database, business_id: uuid.UUID, question: str, base: str, wanted: tuple[str, ...]
) -> str:
    """The ranked pages down to the first wanted one, with their ``pages.page_evidence`` (its
    description and series parts too: ADR 0046) and best chunk's headings (built-in synonym
    groups only: these businesses have no own ones)."""
    terms = search_terms(question)
    added = expansions(question, terms)
    async with database.transaction() as session:
        backend = backend_for(session)
        pool = await backend.search(session, business_id, terms, pool_size(SEARCH_LIMIT), added)
    evidence = page_evidence(pool, terms)
    first = {hit.document_id: hit for hit in reversed(rank_by_page(pool, terms, len(pool)))}
    lines = [f"    terms {terms}, added {added}"]
    for rank, (page, hit) in enumerate(sorted(first.items(), key=lambda i: -i[1].score)):
        key, e = relative_key(hit.url or "", base), evidence[page]
        lines.append(
            f"    {'*' if key in wanted else ' '}{rank} {key} {hit.score:.2f}: page "
            f"{e.strength:.2f} name {e.name:.2f} coverage {e.coverage:.2f} length "
            f"{e.length:.2f} description {e.description:.2f} series {e.series:.2f} | "
            f"{hit.heading_path[:60]}"
        )
        if key in wanted:
            break
    return "\n".join(lines)


class Bm25Baseline:
    """Plain BM25 over whole pages (title + stored text), as bm25s ships it."""

    def __init__(self, pages: list[tuple[str, str]]) -> None:
        self.stemmer = Stemmer.Stemmer("english")
        self.keys = [key for key, _ in pages]
        self.retriever = bm25s.BM25()
        tokens = bm25s.tokenize(
            [text for _, text in pages], stopwords="en", stemmer=self.stemmer, show_progress=False
        )
        self.retriever.index(tokens, show_progress=False)

    def ranking(self, question: str, k: int = 3) -> list[str]:
        tokens = bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False
        )
        if not tokens.vocab:
            return []
        found, _ = self.retriever.retrieve(
            tokens, k=min(k, len(self.keys)), show_progress=False, n_threads=1
        )
        return [self.keys[int(index)] for index in found[0]]


async def stored_pages(
    database: Database, business_id: uuid.UUID, base: str
) -> list[tuple[str, str]]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(Document.url, Document.title, Document.content).where(
                Document.business_id == business_id
            )
        )
        return [
            (relative_key(url or "", base), f"{title}\n{content}") for url, title, content in rows
        ]


async def synced(
    page_set: PageSet, base: str, data_dir: Path, database_url: str | None
) -> tuple[Database, uuid.UUID]:
    """The set synced into a fresh database; with ``--reuse``, a SQLite one synced earlier
    (the stored page URLs keep the port they were synced from: ``base`` says which)."""
    done = data_dir / "synced.txt"
    if database_url is None and done.exists():
        business_id = done.read_text().split()[0]
        settings = Settings.model_validate(
            {"environment": "test", "data_dir": data_dir, "log_level": "WARNING",
             "database_url": f"sqlite+aiosqlite:///{data_dir / 'bench.db'}"}
        )  # fmt: skip
        return Database(create_engine(settings)), uuid.UUID(business_id)
    database, _, business_id, _, _ = await first_sync(
        base + page_set.start, 8, data_dir, database_url
    )
    if database_url is None:
        done.write_text(f"{business_id} {base}")
    return database, business_id


def stored_base(data_dir: Path, base: str) -> str:
    done = data_dir / "synced.txt"
    return done.read_text().split()[1] if done.exists() else base


async def evaluate(
    page_set: PageSet, database_url: str | None, reuse: Path | None,
    embeddings: str | None = None, why_misses: bool = False,
) -> SetResult:  # fmt: skip
    port, _ = serve(page_set.root, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) if reuse is None else reuse / page_set.name.replace(":", "_")
        data_dir.mkdir(parents=True, exist_ok=True)
        database, business_id = await synced(
            page_set, f"http://127.0.0.1:{port}/", data_dir, database_url
        )
        base = stored_base(data_dir, f"http://127.0.0.1:{port}/")
        hybrid: Hybrid | None = None
        try:
            pages = await stored_pages(database, business_id, base)
            baseline = Bm25Baseline(pages)
            if embeddings:
                hybrid = await prepare(database, business_id, embeddings, str(data_dir))
                await hybrid.embed_questions([q.question for q in page_set.questions])
            product, bm25, fused = Score(), Score(), Score()
            for question in page_set.questions:
                label = f"{question.id} {question.question!r}"
                ranked = await product_ranking(database, business_id, question.question, base)
                if product.add(ranked, question.pages, label) and why_misses:
                    text = await why(database, business_id, question.question, base, question.pages)
                    product.misses[-1] += "\n" + text
                bm25.add(baseline.ranking(question.question), question.pages, label)
                if hybrid is not None:
                    with hybrid.active():
                        ranked = await product_ranking(
                            database, business_id, question.question, base
                        )
                    fused.add(ranked, question.pages, label)
        finally:
            if hybrid is not None:
                await hybrid.close()
            await database.dispose()
    return SetResult(
        page_set.name, len(pages), len(page_set.questions), product, bm25, page_set.held_out,
        fused if hybrid is not None else None, hybrid.fallbacks if hybrid is not None else 0,
    )  # fmt: skip


def table(results: list[SetResult], engine: str) -> list[str]:
    lines = [
        f"Page retrieval ({engine}): top-1 / top-3 page hit",
        f"{'set':<44} {'pages':>6} {'qs':>4}  {'product':>13}  {'bm25s':>13}  {'top-3 gain':>10}"
        + (f"  {'hybrid':>13}" if any(r.hybrid for r in results) else ""),
    ]
    for r in results:
        n = max(r.questions, 1)
        mark = " (held out)" if r.held_out else ""
        lines.append(
            f"{r.name + mark:<44} {r.pages:>6} {r.questions:>4}  "
            f"{r.product.top1 / n:>6.0%}/{r.product.top3 / n:<6.0%}  "
            f"{r.bm25.top1 / n:>6.0%}/{r.bm25.top3 / n:<6.0%}  "
            f"{(r.product.top3 - r.bm25.top3) / n * 100:>+9.0f}p"
            + (f"  {r.hybrid.top1 / n:>6.0%}/{r.hybrid.top3 / n:<6.0%}" if r.hybrid else "")
            + (f"  ({r.fallbacks} searches fell back to lexical)" if r.fallbacks else "")
        )
    return lines


async def run(args: argparse.Namespace) -> list[SetResult]:
    configure_logging(level="WARNING")
    if args.first_pass:
        prefilter.EXACT_ROWS = 0
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    sets = doc_sets(args.data, args.sets) + (
        [] if args.no_business else business_sets(args.data, args.sets)
    )
    results = []
    for page_set in sets:
        if not page_set.questions:
            continue
        url = await fresh_database(args.pg_database) if args.engine == "postgresql" else None
        why = args.why and not page_set.held_out
        results.append(await evaluate(page_set, url, args.reuse, args.embeddings, why))
        print(table(results[-1:], args.engine)[-1], flush=True)
    print("\n".join(table(results, args.engine)))
    if args.misses:
        for result in results:
            if not result.held_out:
                print(f"\n{result.name}: product misses in top-3")
                print("\n".join(f"  {miss}" for miss in result.product.misses))
                if result.hybrid is not None:
                    print(f"\n{result.name}: hybrid misses in top-3")
                    print("\n".join(f"  {miss}" for miss in result.hybrid.misses))
    return results


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DATA, help="the answer_data directory")
    parser.add_argument("--sets", nargs="*", help="only these sets / business slugs")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-database", default="aicaller_bench_answers")
    parser.add_argument("--no-business", action="store_true", help="documentation sets only")
    parser.add_argument("--misses", action="store_true", help="print misses (not held out)")
    parser.add_argument("--why", action="store_true", help="with --misses: why (page evidence)")
    parser.add_argument(
        "--embeddings",
        metavar="BASE_URL",
        help="an OpenAI-compatible base URL (benchmarks/embeddings_server.py): adds hybrid",
    )
    parser.add_argument(
        "--reuse", type=Path, help="keep SQLite databases synced here and reuse them (development)"
    )
    parser.add_argument(
        "--first-pass", action="store_true", help="hybrid: the sign-bit first pass at any size"
    )


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
