"""The calls list's text search on SQLite (FTS5 trigram tables, migration 0024, ADR 0018) at the
embedded scale. Times the calls API's own list (``CallRepository.list_page``: the probe of how
common the word is, then the page) with ``q`` against the same list without it, in one run.

Seeds a fresh SQLite file per size with the distribution of benchmarks/calls_seed.py (five
summaries in turn, six transcript turns on each answered call), then per word runs the first
page (50 calls) ``--requests`` times and prints p50 and p95 milliseconds. "insurance" is in a
fifth of the summaries and no transcript (one branch walks, the other reads the index),
"appointment" in most transcripts and a fifth of the summaries (both walk), "zzqx" nowhere (both
read the index; before 0024, the whole table was read).

    .venv/bin/python benchmarks/calls_search_sqlite.py [--calls 10000 100000] [--requests 20]
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import create_tenant

from aicaller.calls.repository import CallFilters, CallRepository
from aicaller.config import Settings
from aicaller.database.models import Call, TranscriptTurn
from aicaller.database.session import Database, create_engine

TOPICS = ("opening hours", "an appointment", "insurance", "billing", "parking")
WORDS = (None, "insurance", "appointment", "zzqx")
TURNS = (
    "Thanks for calling, how can I help you today?",
    "I wanted to ask about my appointment next week, please.",
)


def _rows(
    business_id: uuid.UUID, count: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    now = datetime.now(UTC)
    calls, turns = [], []
    for i in range(1, count + 1):
        started = now - timedelta(seconds=i * 5_184_000 / count)
        answered = i % 100 < 85
        call_id = uuid.uuid4()
        calls.append(
            {
                "id": call_id,
                "business_id": business_id,
                "direction": "inbound",
                "from_number": f"+1415555{i % 10000:04d}",
                "to_number": "+12125550100",
                "status": "completed" if answered else "no_answer",
                "provider": "simulated",
                "started_at": started,
                "duration_seconds": 2 + i % 900 if answered else 0,
                "summary": f"Caller asked about {TOPICS[i % 5]}",
                "created_at": started,
                "updated_at": started,
            }
        )
        turns.extend(
            {
                "id": uuid.uuid4(),
                "business_id": business_id,
                "call_id": call_id,
                "sequence": s,
                "speaker": "agent" if s % 2 == 0 else "caller",
                "text": TURNS[s % 2],
                "offset_ms": s * 4000,
                "sources": [],
                "created_at": started,
                "updated_at": started,
            }
            for s in range(6 if answered else 0)
        )
    return calls, turns


async def _measure(count: int, requests: int) -> dict[str | None, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'search.db'}"
        tenant = await create_tenant(url)
        settings = Settings.model_validate(
            {"environment": "test", "data_dir": Path(tmp), "database_url": url}
        )
        database = Database(create_engine(settings))
        try:
            calls, turns = _rows(tenant.business_id, count)
            async with database.transaction() as session:
                await session.execute(insert(Call), calls)
                await session.execute(insert(TranscriptTurn), turns)
            results = {}
            for word in WORDS:
                timings = []
                for _ in range(requests + 2):  # two to warm the page cache
                    async with database.transaction() as session:
                        repository = CallRepository(session, tenant.business_id)
                        started = time.perf_counter()
                        await repository.list_page(
                            CallFilters(q=word),
                            sort="started_at",
                            descending=True,
                            limit=50,
                            cursor=None,
                        )
                        timings.append((time.perf_counter() - started) * 1000)
                ordered = sorted(timings[2:])
                results[word] = (
                    statistics.median(ordered),
                    ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
                )
        finally:
            await database.dispose()
    return results


async def main(sizes: list[int], requests: int) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'calls':>8}  {'q':<12}{'p50 ms':>9}{'p95 ms':>9}{'x no q':>8}")
    for count in sizes:
        results = await _measure(count, requests)
        base = results[None][0]
        for word, (p50, p95) in results.items():
            print(f"{count:>8,}  {word or '(none)':<12}{p50:>9.1f}{p95:>9.1f}{p50 / base:>8.1f}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.requests))
