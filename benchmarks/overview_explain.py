"""Where an uncached overview's time goes: every statement of one ``AnalyticsService.overview``
(the dashboard and the three chart trends, no cache) on the console benchmark's PostgreSQL
database, run again under EXPLAIN (ANALYZE, BUFFERS), with its execution time and plan.

The overview runs once on one connection (no parallel report connections) while its statements
are recorded; then each is explained, in order, with the same parameters and report settings,
``--runs`` times, and the median execution time of each is printed with the pass it computes
and the sum. ``--plans`` prints each plan too.

    .venv/bin/python benchmarks/overview_explain.py [--runs 3] [--plans]

Run benchmarks/console.py first (it seeds the database; AICALLER_BENCH_CONSOLE_DB names it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import app_settings
from bench_postgres import PG
from overview_together import METRICS

from aicaller.analytics.buckets import Interval, Period
from aicaller.analytics.service import AnalyticsService
from aicaller.config import Settings
from aicaller.database.session import Database, create_engine
from console import DB_NAME

EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
# What each statement computes, told by a phrase of its SQL.
KINDS = (
    ("lead(", "repeat callers (the repeat pass)"),
    ("repeat_followed", "repeat callers from the followed calls (migration 0026)"),
    ("AS repeat_window_calls", "inbound calls summed from the rollups (the repeat pass)"),
    ("handle_seconds", "call and QA figures summed from the rollups (migration 0025)"),
    ("AS timed_calls", "timed calls counted from the rollups (the durations pass)"),
    ("ORDER BY calls.duration_seconds DESC", "p90 read from the longest calls down (0026)"),
    ("histogram", "p90 duration (the durations pass)"),
    ("knowledge_gaps.normalized_question", "top knowledge gaps"),
    ("knowledge_gaps", "knowledge gaps per bucket"),
    ("FROM escalations", "open escalations then and now"),
    ("call_rollups", "call and QA figures summed from the rollups (migration 0025)"),
    ("total_calls", "call and QA figures (the calls pass)"),
    ("FROM businesses", "the business's timezone"),
)


def _kind(statement: str, parameters: Any) -> str:
    suffix = " [baseline: rollups off]" if statement.endswith("-- baseline") else ""
    for phrase, kind in KINDS:
        if phrase in statement:
            buckets = sum(1 for p in parameters if hasattr(p, "tzinfo")) if parameters else 0
            return f"{kind}{suffix}, {buckets} timestamps bound"
    return statement.split("\n", 1)[0][:60]


async def _recorded(database: Database, settings: Settings, business_id: Any) -> list[Any]:
    """The statements of one uncached overview; then those of the same overview with the
    rollups off that the rollups and migration 0026 replace (repeat callers' ``LEAD()`` and the
    p90's histogram), to explain in the same runs, alternating."""
    recorded: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            recorded.append((statement, parameters))

    last = date.today() - timedelta(days=3)
    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with database.transaction() as session:
            service = AnalyticsService(session, business_id, None, settings, database=database)
            await service.overview(
                Period.CUSTOM, last - timedelta(days=29), last, METRICS, Interval.DAY, 7
            )
        statements = [s for s in recorded if "set_config" not in s[0]]
        recorded.clear()
        off = settings.model_copy(update={"analytics_rollups": False})
        async with database.transaction() as session:
            service = AnalyticsService(session, business_id, None, off, database=database)
            await service.overview(
                Period.CUSTOM, last - timedelta(days=29), last, METRICS, Interval.DAY, 7
            )
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    baseline = [s for s in recorded if "lead(" in s[0] or "histogram" in s[0]]
    return statements + [(f"{s} -- baseline", p) for s, p in baseline]


async def main(runs: int, plans: bool) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    connection = await asyncpg.connect(f"{PG}/{DB_NAME}")
    try:
        business_id = await connection.fetchval("SELECT id FROM businesses LIMIT 1")
    finally:
        await connection.close()
    url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
    with tempfile.TemporaryDirectory() as tmp:
        values = app_settings(url, "redis://127.0.0.1:6379/7", Path(tmp))
        settings = Settings.model_validate(
            {**values, "redis_url": None, "analytics_parallel_connections": 0}
        )
        database = Database(create_engine(settings))
        try:
            statements = await _recorded(database, settings, business_id)
            times: list[list[float]] = [[] for _ in statements]
            async with database.transaction() as session:
                raw = await session.connection()
                await raw.exec_driver_sql(
                    "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)"
                )
                for _ in range(runs):
                    for i, (statement, parameters) in enumerate(statements):
                        explain = f"EXPLAIN (ANALYZE, BUFFERS) {statement}"
                        rows = (await raw.exec_driver_sql(explain, parameters)).all()
                        plan = "\n".join(row[0] for row in rows)
                        found = EXECUTION.search(plan)
                        times[i].append(float(found.group(1)) if found else float("nan"))
                        if plans and _ == 0:
                            print(f"\n-- {_kind(statement, parameters)}\n{plan}")
        finally:
            await database.dispose()
    print(f"\nmedian of {runs} EXPLAIN ANALYZE runs, one uncached overview (30 days, no cache)")
    print(f"{'ms':>8}  statement")
    for (statement, parameters), values_ in zip(statements, times, strict=True):
        print(f"{statistics.median(values_):>8.1f}  {_kind(statement, parameters)}")
    total = sum(statistics.median(v) for v in times)
    print(f"{total:>8.1f}  sum (one connection; side by side the wall time is less)")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.plans))
