"""Search latency on kept databases: build them once, then time the search service as often as
needed (old code against new in turns, near idle), without the ten minutes of a fresh sync.

    .venv/bin/python benchmarks/search_latency.py build --dir DIR
    .venv/bin/python benchmarks/search_latency.py measure --dir DIR [--engine sqlite|postgresql]
        [--corpus docs|big] [--rounds 5] [--cold-counts]

``build`` syncs the Python docs (as ``retrieval_eval.py`` does) into SQLite (``DIR/docs.db``)
and into PostgreSQL (``--pg-database``, dropped and recreated), then copies each and adds
100,000 synthetic chunks to the copy (``DIR/big.db``, ``<pg-database>_big``). ``measure``
times the service as ``retrieval_eval.py`` does (each search a miss of its result cache, the
synonym groups cached) after a warm-up round, and prints wall p50 / p95, the p50 / p95 of each
question's fastest round, process CPU p50 / p95, statements a search, and a digest of the
results (equal digests: the same hits, scores and snippets). The terms' counts a worker keeps
(``backend.TermMemo``) serve every round after the first, as they serve a term asked again;
``--cold-counts`` forgets them before each search, as for a question of words never asked.
``--buffers`` (PostgreSQL) then runs each question's search statement again under ``EXPLAIN
(ANALYZE, BUFFERS)`` and prints the shared buffers it touched (hit or read), p50 / p95 and in
all: a count of the server's work that the machine's load does not move.
To compare with other code, run it with ``PYTHONPATH=<that checkout>/src``, in turns with this
one.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event

from aicaller.config import Settings
from aicaller.core.cache import SEARCH, AppCache
from aicaller.core.logging import configure_logging
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.search import postgres_stats
from aicaller.knowledge.search import sqlite as sqlite_search
from aicaller.knowledge.search.maintenance import tidy_index
from aicaller.knowledge.search.service import SearchService

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_postgres import PG, fresh_database
from crawl import first_sync
from docs_site import python_docs, serve
from retrieval_eval import add_synthetic
from retrieval_questions import QUESTIONS


def _database(url: str) -> Database:
    settings = Settings.model_validate({"environment": "test", "database_url": url})
    return Database(create_engine(settings, url))


async def build(directory: Path, pg_database: str, synthetic: int) -> dict[str, dict[str, str]]:
    """The kept databases' URLs and business, per engine."""
    port, _ = serve(python_docs(), 0.0)
    url = f"http://127.0.0.1:{port}/index.html"
    meta: dict[str, dict[str, str]] = {}
    for engine in ("sqlite", "postgresql"):
        tmp = Path(tempfile.mkdtemp())
        pg_url = await fresh_database(pg_database) if engine == "postgresql" else None
        database, _, business_id, _, _ = await first_sync(url, 8, tmp, pg_url)
        await database.dispose()
        if pg_url is None:
            for corpus in ("docs", "big"):
                shutil.copy(tmp / "bench.db", directory / f"{corpus}.db")
            urls = {c: f"sqlite+aiosqlite:///{directory / c}.db" for c in ("docs", "big")}
        else:
            admin = await asyncpg.connect(f"{PG}/postgres")
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{pg_database}_big" WITH (FORCE)')
                await admin.execute(f'CREATE DATABASE "{pg_database}_big" TEMPLATE "{pg_database}"')
            finally:
                await admin.close()
            urls = {"docs": pg_url, "big": f"{pg_url}_big"}
        big = _database(urls["big"])
        await add_synthetic(big, business_id, synthetic)
        await tidy_index(big)
        await big.dispose()
        meta[engine] = {**urls, "business_id": str(business_id)}
    return meta


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.1f} / {ordered[int(0.95 * len(ordered))]:.1f}"


def _forget_counts() -> None:
    """Forget the terms' counts the worker keeps (code without them has nothing to forget)."""
    for module in (sqlite_search, postgres_stats):
        memo = getattr(module, "COUNTS", None)
        if memo is not None:
            memo.clear()


async def _buffers(database: Database, searches: list[tuple[str, Any]]) -> str:
    """Shared buffers (hit or read) each search statement touches, p50 / p95, and in all."""
    touched: list[int] = []
    async with database.transaction() as session:
        connection = await session.connection()
        for statement, parameters in searches:
            explain = f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}"
            plan = (await connection.exec_driver_sql(explain, parameters)).scalar_one()
            top = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            touched.append(int(top["Shared Hit Blocks"]) + int(top["Shared Read Blocks"]))
    ordered = sorted(touched)
    return (
        f"; buffers a search {statistics.median(ordered):.0f} / "
        f"{ordered[int(0.95 * len(ordered))]}, {sum(ordered)} in all"
    )


async def measure(
    meta: dict[str, str],
    engine: str,
    corpus: str,
    rounds: int,
    cold_counts: bool,
    buffers: bool = False,
) -> None:
    business_id = uuid.UUID(meta["business_id"])
    database = _database(meta[corpus])
    statements = [0]
    searches: list[tuple[str, Any]] = []  # each question's search statement, the first round

    def count(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements[0] += 1
        if len(searches) < len(QUESTIONS) and statement.lstrip().startswith("WITH"):
            searches.append((statement, parameters))

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    cache = AppCache(Settings.model_validate({"environment": "test", "redis_url": None}))
    await cache.start()
    walls: list[float] = []
    cpus: list[float] = []
    counts: list[int] = []
    fastest: dict[str, float] = {}
    digest = hashlib.sha256()
    for round_ in range(rounds + 1):  # the first warms the connections and caches up
        for question, _ in QUESTIONS:
            await cache.layered.delete_match(AppCache.key(SEARCH, business_id, "v*"))
            if cold_counts:
                _forget_counts()
            async with database.transaction() as session:
                statements[0] = 0
                cpu, started = time.process_time(), time.perf_counter()
                _, hits = await SearchService(session, business_id, cache).search(question, limit=5)
                wall = (time.perf_counter() - started) * 1000
                cpu = (time.process_time() - cpu) * 1000
            if not round_:
                digest.update(repr([(h.chunk_id, h.score, h.snippet) for h in hits]).encode())
                continue
            walls.append(wall)
            cpus.append(cpu)
            counts.append(statements[0])
            fastest[question] = min(fastest.get(question, wall), wall)
    await cache.close()
    touched = await _buffers(database, searches) if buffers and engine == "postgresql" else ""
    await database.dispose()
    print(
        f"{engine} {corpus}{' cold counts' if cold_counts else ''}: "
        f"wall {_percentiles(walls)} ms; fastest of each question "
        f"{_percentiles(list(fastest.values()))} ms; CPU {_percentiles(cpus)} ms; "
        f"statements {statistics.mean(counts):.2f}; results {digest.hexdigest()[:12]}{touched}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "measure"])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--corpus", choices=["docs", "big"], default="docs")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--pg-database", default="aicaller_bench_search_kept")
    parser.add_argument("--cold-counts", action="store_true")
    parser.add_argument("--buffers", action="store_true", help="PostgreSQL: buffers a search")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    kept = args.dir / "meta.json"
    if args.command == "build":
        args.dir.mkdir(parents=True, exist_ok=True)
        meta = asyncio.run(build(args.dir, args.pg_database, args.synthetic))
        kept.write_text(json.dumps(meta, indent=1))
    else:
        meta = json.loads(kept.read_text())[args.engine]
        asyncio.run(
            measure(meta, args.engine, args.corpus, args.rounds, args.cold_counts, args.buffers)
        )


if __name__ == "__main__":
    main()
