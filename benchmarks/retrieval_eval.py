"""Retrieval quality and search latency on the Python 3.11 docs, SQLite and PostgreSQL.

Syncs the docs (served locally, as in benchmarks/crawl.py) into each database, asks the
questions in benchmarks/retrieval_questions.py and prints top-1/top-3 hit rates, then search
latency p50/p95 (the search service on a miss of its result cache: the backend's pool of
chunks and their ranking by page, ``knowledge/search/pages.py``) on that corpus and after
adding 100,000 synthetic chunks, each written about one of the corpus's own chunks.

    .venv/bin/python benchmarks/retrieval_eval.py [--synthetic 100000] [--rounds 5]

Environment: AICALLER_BENCH_PG (default postgresql://postgres@127.0.0.1:5432); it drops and
recreates the database ``--pg-database`` (aicaller_bench_search).

The sync ends by tidying the search index (``knowledge/search/maintenance.py``: FTS5 segments
merged, PostgreSQL analysed); the synthetic chunks are tidied the same way after loading.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from aicaller.config import Settings
from aicaller.core.cache import SEARCH, AppCache
from aicaller.core.logging import configure_logging
from aicaller.database.models import Chunk, Document
from aicaller.database.session import Database
from aicaller.knowledge.documents.repository import ChunkRepository
from aicaller.knowledge.search.maintenance import tidy_index
from aicaller.knowledge.search.query import search_terms
from aicaller.knowledge.search.service import SearchService, backend_for

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_postgres import fresh_database
from crawl import first_sync
from docs_site import python_docs, serve
from retrieval_questions import QUESTIONS


async def ask(
    database: Database,
    business_id: uuid.UUID,
    question: str,
    *,
    backend_only: bool = False,
    cache: AppCache | None = None,
) -> tuple[list[str], float]:
    """The URLs of the service's 5 results (or the backend's 5 best chunks, the baseline: no
    pool, no ranking by page) and the milliseconds it took. With ``cache``, the search is a
    miss of the result cache, as every new question is: its results are evicted first, and
    what a search caches besides (the synonym groups) is kept."""
    if cache is not None:
        await cache.layered.delete_match(AppCache.key(SEARCH, business_id, "v*"))
    async with database.transaction() as session:
        started = time.perf_counter()
        if backend_only:
            hits = await backend_for(session).search(
                session, business_id, search_terms(question), 5
            )
        else:
            service = SearchService(session, business_id, cache)
            _, hits = await service.search(question, limit=5)
        elapsed = (time.perf_counter() - started) * 1000
    return [hit.url or "" for hit in hits], elapsed


async def quality(database: Database, business_id: uuid.UUID) -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    misses = []
    for question, pages in QUESTIONS:
        urls = list(dict.fromkeys((await ask(database, business_id, question))[0]))
        wanted = tuple(_page(page) for page in pages)
        hit_at = next((i for i, url in enumerate(urls) if _page(url).endswith(wanted)), None)
        top1 += hit_at == 0
        top3 += hit_at is not None and hit_at < 3
        if hit_at is None or hit_at >= 3:
            misses.append(f"{question!r} -> {[u.rsplit('/html/', 1)[-1] for u in urls[:3]]}")
    return top1 / len(QUESTIONS), top3 / len(QUESTIONS), misses


def _page(url: str) -> str:
    """``installing/index.html`` as the sync stores it (``installing``: URLs are normalised)."""
    return url.removesuffix("index.html").rstrip("/")


async def latency(database: Database, business_id: uuid.UUID, rounds: int) -> tuple[str, str]:
    """p50/p95 of the service (each search a result-cache miss, in-process cache) and of the
    backend alone, each question asked of both in turn."""
    service: list[float] = []
    backend: list[float] = []
    cache = AppCache(Settings.model_validate({"environment": "test", "redis_url": None}))
    await cache.start()
    for _ in range(rounds):
        for question, _ in QUESTIONS:
            service.append((await ask(database, business_id, question, cache=cache))[1])
            backend.append((await ask(database, business_id, question, backend_only=True))[1])
    await cache.close()
    return _percentiles(service), _percentiles(backend)


def _percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)
    return f"{statistics.median(ordered):.1f}/{ordered[int(0.95 * len(ordered))]:.1f}"


async def add_synthetic(database: Database, business_id: uuid.UUID, count: int) -> None:
    """``count`` chunks of 150-300 words, each written "about" one real chunk of the corpus.

    Every synthetic chunk takes a real chunk as its topic: 85% of its words are drawn from that
    chunk's words (their own frequencies), 15% from the whole corpus; its title and headings
    come from the topic's. Drawing every word independently from the corpus-wide frequencies
    instead (this script did until 2026-11) makes text no documentation has: words stop
    clustering by topic, so a mid-frequency word like "file" lands in 61% of chunks where it is
    in 27% of the real ones, and every question matches most of the corpus.
    """
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(Chunk.title, Chunk.heading_path, Chunk.text).where(
                    Chunk.business_id == business_id
                )
            )
        ).all()
        document = Document(
            business_id=business_id,
            kind="upload",
            title="Synthetic",
            media_type="text/plain",
            size_bytes=0,
            content="",
            content_hash="",
            chunk_count=count,
        )
        session.add(document)
        await session.flush()
        document_id = document.id
    topics = [(_words(title), _words(headings), _words(text)) for title, headings, text in rows]
    topics = [topic for topic in topics if topic[2]]
    words = Counter(word for _, _, body in topics for word in body)
    vocabulary, weights = list(words), list(words.values())
    rng = random.Random(5)  # noqa: S311 - synthetic data
    for start in range(0, count, 5000):
        batch = []
        for index in range(start, min(start + 5000, count)):
            title, headings, body = rng.choice(topics)
            size = rng.randint(150, 300)
            own = rng.choices(body, k=int(size * 0.85))
            common = rng.choices(vocabulary, weights, k=size - len(own))
            batch.append(
                {
                    "id": uuid.uuid4(),
                    "business_id": business_id,
                    "document_id": document_id,
                    "ordinal": index,
                    "title": " ".join(rng.sample(title, min(4, len(title))) or own[:3]),
                    "heading_path": " > ".join(rng.sample(headings, min(3, len(headings)))),
                    "text": " ".join(rng.sample(own + common, size)),
                    "token_count": 0,
                }
            )
        async with database.transaction() as session:  # as the product does (one statement)
            await ChunkRepository(session, business_id).insert_rows(batch)


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word.isalpha()]


async def evaluate(name: str, url: str, database_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database, _, business_id, _, synced = await first_sync(url, 8, Path(tmp), database_url)
        top1, top3, misses = await quality(database, business_id)
        corpus, corpus_backend = await latency(database, business_id, args.rounds)
        await add_synthetic(database, business_id, args.synthetic)
        await tidy_index(database)
        big, big_backend = await latency(database, business_id, args.rounds)
        await database.dispose()
    print(
        f"{name}: {synced['indexed']} pages, {len(QUESTIONS)} questions: top-1 {top1:.0%}, "
        f"top-3 {top3:.0%}; search p50/p95 {corpus} ms on the docs (backend alone "
        f"{corpus_backend}), {big} ms with {args.synthetic:,} more chunks (backend alone "
        f"{big_backend})"
    )
    for miss in misses:
        print(f"  missed top-3: {miss}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-database", default="aicaller_bench_search")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    port, _ = serve(python_docs(), 0.0)
    url = f"http://127.0.0.1:{port}/index.html"
    await evaluate("SQLite FTS5", url, None, args)
    await evaluate("PostgreSQL", url, await fresh_database(args.pg_database), args)


if __name__ == "__main__":
    asyncio.run(main())
