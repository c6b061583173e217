"""Search latency with hybrid retrieval at 100,000 chunks, SQLite and PostgreSQL, beside the
lexical search measured in the same run on the same database.

The Python docs are synced (as ``retrieval_eval.py`` does), 100,000 synthetic chunks added,
and every chunk given a random unit vector of 384 dimensions (the size of all-MiniLM-L6-v2's):
the cost of scoring a matrix does not depend on what its vectors mean, and embedding 100,000
chunks with a real model takes hours on this machine. ``min_similarity`` is -1 so every
semantic hit goes through the fusion, as it would with related vectors. Printed, p50/p95 ms of
the search service without its result cache, questions of ``retrieval_questions.py``:

- lexical: no embeddings runtime in the process (what a business without an endpoint gets);
- hybrid, question vector cached: the endpoint is not called (a repeated question; the
  runtime keeps 4,096), so this is the search's own cost: config read, lexical pool, matrix
  product, the semantic chunks' rows, fusion;
- hybrid with the endpoint call: the question embedded by the real model behind
  ``embeddings_server.py`` (which must be running: ``--embeddings``) on every search;
- the matrix load: what the first search after the knowledge version changed adds.

Lexical and hybrid (cached) searches alternate question by question, so both see the same
machine; the endpoint-called pass comes first and embeds each question once.

    .venv/bin/python benchmarks/embeddings_server.py &
    .venv/bin/python benchmarks/hybrid_latency.py [--synthetic 100000] [--rounds 3]
        [--embeddings http://127.0.0.1:8765/v1] [--engines sqlite postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_hybrid import settings_for
from bench_postgres import fresh_database
from crawl import first_sync
from docs_site import python_docs, serve
from retrieval_eval import add_synthetic
from retrieval_questions import QUESTIONS

from aicaller.core.encryption import SecretBox
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import configure_logging
from aicaller.database.models import Chunk
from aicaller.database.session import Database
from aicaller.knowledge.embeddings import runtime
from aicaller.knowledge.embeddings.fusion import SEMANTIC_CHUNKS
from aicaller.knowledge.embeddings.repository import ChunkVectorRepository
from aicaller.knowledge.embeddings.schemas import EmbeddingsConfigIn
from aicaller.knowledge.embeddings.semantic import load_index
from aicaller.knowledge.embeddings.service import EmbeddingService
from aicaller.knowledge.embeddings.vectors import STORED
from aicaller.knowledge.search.maintenance import tidy_index
from aicaller.knowledge.search.service import SearchService

DIMENSIONS = 384
MODEL = "all-MiniLM-L6-v2"


async def timed(database: Database, business_id: uuid.UUID, question: str) -> float:
    async with database.transaction() as session:
        started = time.perf_counter()
        await SearchService(session, business_id).search(question, limit=5)
        return (time.perf_counter() - started) * 1000


def p50_p95(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


async def add_vectors(database: Database, business_id: uuid.UUID) -> int:
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(Chunk.id, Chunk.document_id).where(Chunk.business_id == business_id)
            )
        ).all()
    rng = np.random.default_rng(7)
    for start in range(0, len(rows), 5000):
        batch = rows[start : start + 5000]
        vectors = rng.standard_normal((len(batch), DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        packed = [
            (chunk_id, document_id, vector.astype(STORED).tobytes())
            for (chunk_id, document_id), vector in zip(batch, vectors, strict=True)
        ]
        async with database.transaction() as session:
            await ChunkVectorRepository(session, business_id).add(packed)
    return len(rows)


async def measure(name: str, url: str, database_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database, _, business_id, _, _ = await first_sync(url, 8, Path(tmp), database_url)
        await add_synthetic(database, business_id, args.synthetic)
        await tidy_index(database)
        chunks = await add_vectors(database, business_id)
        settings = settings_for(tmp)
        http = SafeHttpClient.from_settings(settings)
        async with database.transaction() as session:
            await EmbeddingService(session, business_id).configure(
                EmbeddingsConfigIn(base_url=args.embeddings, model=MODEL,
                                   min_similarity=-1.0),
                http=http, secret_box=SecretBox("bench-key"),
            )  # fmt: skip
        questions = [question for question, _ in QUESTIONS]
        installed = runtime.install(http, SecretBox("bench-key"), settings)
        loads = []
        for _ in range(3):  # the matrix alone: what the first search after a change adds
            async with database.transaction() as session:
                started = time.perf_counter()
                await load_index(ChunkVectorRepository(session, business_id), 0)
                loads.append((time.perf_counter() - started) * 1000)
        await timed(database, business_id, "warm up")  # loads the matrix into the process
        # Each question embedded once: the endpoint is called.
        with_call = [await timed(database, business_id, question) for question in questions]
        first_pass = installed.matrices.latest(business_id)
        assert first_pass is not None
        assert first_pass.prefilter is not None
        exact = replace(first_pass, prefilter=None)
        lexical: list[float] = []
        cached: list[float] = []
        exact_cached: list[float] = []
        scoring: dict[str, list[float]] = {"first pass": [], "exact": []}
        for _ in range(args.rounds):  # in turn, so all three see the same machine
            for question in questions:
                runtime.uninstall(installed)  # lexical: what a business without an endpoint gets
                lexical.append(await timed(database, business_id, question))
                runtime._installed.append(installed)
                for index, into in ((first_pass, cached), (exact, exact_cached)):
                    installed.matrices.put(business_id, index)
                    into.append(await timed(database, business_id, question))
                vector = installed.question(args.embeddings, MODEL, question)
                assert vector is not None
                for how, index in (("first pass", first_pass), ("exact", exact)):
                    started = time.perf_counter()
                    index.nearest(vector, SEMANTIC_CHUNKS)
                    scoring[how].append((time.perf_counter() - started) * 1000)
        runtime.uninstall(installed)
        await http.aclose()
        await database.dispose()
    load = os.getloadavg()[0]
    lex, hyb, call = p50_p95(lexical), p50_p95(cached), p50_p95(with_call)
    exa, first, full = (
        p50_p95(exact_cached),
        p50_p95(scoring["first pass"]),
        p50_p95(scoring["exact"]),
    )
    print(
        f"{name}: {chunks:,} chunks with vectors, {len(questions)} questions, load {load:.1f}\n"
        f"  lexical                        p50/p95 {lex[0]:6.1f} / {lex[1]:6.1f} ms\n"
        f"  hybrid, question vector cached p50/p95 {hyb[0]:6.1f} / {hyb[1]:6.1f} ms "
        f"(p95 x{hyb[1] / lex[1]:.2f} of lexical)\n"
        f"  hybrid, exact scoring (cached) p50/p95 {exa[0]:6.1f} / {exa[1]:6.1f} ms\n"
        f"  hybrid, endpoint called        p50/p95 {call[0]:6.1f} / {call[1]:6.1f} ms\n"
        f"  semantic scoring alone         p50/p95 first pass {first[0]:.1f} / {first[1]:.1f} ms,"
        f" exact {full[0]:.1f} / {full[1]:.1f} ms\n"
        f"  matrix load (added to the first search after a change): "
        f"{', '.join(f'{t:.0f}' for t in loads)} ms",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--embeddings", default="http://127.0.0.1:8765/v1")
    parser.add_argument("--engines", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-database", default="aicaller_bench_hybrid")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    port, _ = serve(python_docs(), 0.0)
    url = f"http://127.0.0.1:{port}/index.html"
    if "sqlite" in args.engines:
        await measure("SQLite", url, None, args)
    if "postgresql" in args.engines:
        await measure("PostgreSQL", url, await fresh_database(args.pg_database), args)


if __name__ == "__main__":
    asyncio.run(main())
