"""The console overview's reports computed together against the same reports asked one by one,
uncached, on the console benchmark's PostgreSQL database (100,000 calls over 60 days).

"one by one" is what the overview did before (and what API clients do): the dashboard, then
the trends of calls, AI containment and QA score, each its own report. "together" is
``AnalyticsService.overview``: the same four reports, each pass run once per list of cuts. Both
run with no cache and every figure read from the calls (``analytics_rollups`` off), and
"rollups" is "together" with the calls' figures summed from the per-slot rollups (migration
0025), as the app runs it. All three run with no cache, in turn, for 30-day periods ending on
different days; the report statements use the parallel connections as in the app. Prints the
median and p95 wall time of each, their ratios, and the statements each ran.

    .venv/bin/python benchmarks/overview_together.py [--rounds 15]

Run benchmarks/console.py first (it seeds the database), or pass --seed.
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
from datetime import date, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import app_settings
from bench_postgres import PG, fresh_database
from calls_seed import seed_calls

from aicaller.analytics.buckets import Interval, Period
from aicaller.analytics.service import AnalyticsService
from aicaller.config import Settings
from aicaller.core.query_monitor import QueryMonitor, count_queries
from aicaller.database.session import Database, create_engine
from console import DB_NAME

METRICS = ["total_calls", "ai_containment_rate", "avg_qa_score"]


async def _business(url: str) -> uuid.UUID:
    connection = await asyncpg.connect(f"{PG}/{DB_NAME}")
    try:
        found: uuid.UUID = await connection.fetchval(
            "SELECT id FROM businesses ORDER BY created_at LIMIT 1"
        )
    finally:
        await connection.close()
    return found


async def main(rounds: int, seed: bool) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
    if seed:
        await seed_calls(await fresh_database(DB_NAME), 100_000)
    business_id = await _business(url)
    with tempfile.TemporaryDirectory() as tmp:
        values = app_settings(url, "redis://127.0.0.1:6379/7", Path(tmp))
        settings = Settings.model_validate({**values, "redis_url": None})
        from_calls = settings.model_copy(update={"analytics_rollups": False})
        database = Database(create_engine(settings))
        QueryMonitor(database.engine, slow_ms=60_000)  # counts statements, logs none
        timings: dict[str, list[float]] = {"one by one": [], "together": [], "rollups": []}
        statements: dict[str, int] = {}
        try:
            for n in range(rounds + 1):  # the first round warms pools and plans
                last = date.today() - timedelta(days=1 + n)
                first = last - timedelta(days=29)
                names = list(timings)
                for name in names[n % 3 :] + names[: n % 3]:  # each first in turn
                    async with database.transaction() as session:
                        service = AnalyticsService(
                            session,
                            business_id,
                            None,
                            settings if name == "rollups" else from_calls,
                            database=database,
                        )
                        started = time.perf_counter()
                        with count_queries() as counter:
                            if name != "one by one":
                                await service.overview(
                                    Period.CUSTOM, first, last, METRICS, Interval.DAY, 7
                                )
                            else:
                                await service.dashboard(Period.CUSTOM, first, last)
                                for metric in METRICS:
                                    await service.trends(
                                        metric, Interval.DAY, Period.CUSTOM, first, last, 7
                                    )
                        if n:
                            timings[name].append((time.perf_counter() - started) * 1000)
                            statements[name] = counter.count
        finally:
            await database.dispose()
    print(f"{rounds} rounds, 30-day periods, no cache")
    print(f"{'':<12}{'p50 ms':>9}{'p95 ms':>9}{'SQL':>6}")
    for name, values_ in timings.items():
        ordered = sorted(values_)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"{name:<12}{statistics.median(ordered):>9.1f}{p95:>9.1f}{statements[name]:>6}")
    for name, against in (("together", "one by one"), ("rollups", "together")):
        ratio = statistics.median(timings[name]) / statistics.median(timings[against])
        print(f"{name} / {against} (p50): {ratio:.2f}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.seed))
