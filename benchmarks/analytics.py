"""Analytics at volume: one million calls in PostgreSQL, Redis as the shared cache.

Seeds a year of calls (escalations on 1 in 12, evaluations on a third of completed calls,
knowledge gaps on 1 in 20) into a fresh database, then through the app in-process (ASGI, the
whole middleware and authentication path):

- the 30-day dashboard cold (the business's analytics tag cleared before each request) and
  warm (served from the cache), and cold again with its statements side by side (the default
  on PostgreSQL) and one by one, alternating, with the ratio of their medians; and likewise
  with the calls' figures from the rollups (the default) and from the calls;
- call volume over 90 days by day, and QA stats over 30 days, cold;
- a CSV export of every call (one million rows) read from the export generator: rows/s and the
  process's peak resident memory while it runs.

Prints p50/p95 in ms over ``--runs`` requests (medians of the whole run for the export).

    .venv/bin/python benchmarks/analytics.py [--calls 1000000] [--runs 15] [--warm-runs 300]
        [--reuse] [--skip-export] [--skip-reports]

``--reuse`` keeps the database seeded by an earlier run (seeding takes a minute or more).

Environment: AICALLER_BENCH_PG (default postgresql://postgres@127.0.0.1:5432) and
AICALLER_BENCH_REDIS (default redis://127.0.0.1:6379/8); AICALLER_BENCH_ANALYTICS_DB names the
database it drops and recreates (default aicaller_bench_analytics).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analytics_seed import seed
from bench_app import BUSINESS, app_settings, flush_redis, sign_in
from bench_postgres import PG, fresh_database

from aicaller.analytics.export_format import ExportOptions
from aicaller.analytics.exports import ExportService
from aicaller.calls.service import CallListQuery, analytics_tag
from aicaller.config import Settings
from aicaller.main import create_app

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/8")
DB_NAME = os.environ.get("AICALLER_BENCH_ANALYTICS_DB", "aicaller_bench_analytics")
PAGE = os.sysconf("SC_PAGE_SIZE")
NINETY_DAYS = {
    "from": (date.today() - timedelta(days=89)).isoformat(),
    "to": date.today().isoformat(),
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


def _pct(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


Request = Callable[[], Awaitable[httpx.Response]]


async def _timed(
    runs: int,
    before: Callable[[], Awaitable[None]],
    request: Callable[[], Awaitable[httpx.Response]],
) -> tuple[float, float, str]:
    times = []
    cache_header = ""
    for _ in range(runs):
        await before()
        started = time.perf_counter()
        response = await request()
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        cache_header = response.headers.get("x-cache", "")
    ordered = sorted(times)
    return _pct(ordered, 0.5), _pct(ordered, 0.95), cache_header


async def _paired(
    app: Any,
    runs: int,
    clear: Callable[[], Awaitable[None]],
    request: Request,
    setting: tuple[str, object],
    names: tuple[str, str],
) -> None:
    """The cold 30-day dashboard as the app runs it (``names[0]``) and with one setting changed
    (``names[1]``, the baseline), alternating so drift hits both: statements side by side
    against one by one (``analytics_parallel_connections=0``), or the calls' figures from the
    rollups against from the calls (``analytics_rollups=false``)."""
    default = app.state.settings
    modes = {names[0]: default, names[1]: default.model_copy(update=dict([setting]))}
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    try:
        for _ in range(runs):
            for mode, settings in modes.items():
                app.state.settings = settings
                await clear()
                started = time.perf_counter()
                (await request()).raise_for_status()
                times[mode].append((time.perf_counter() - started) * 1000)
    finally:
        app.state.settings = default
    for mode, measured in times.items():
        ordered = sorted(measured)
        print(f"{'dashboard 30d, cold, ' + mode:<42} {_pct(ordered, 0.5):>9.1f} "
              f"{_pct(ordered, 0.95):>9.1f}  miss")  # fmt: skip
    ratio = statistics.median(times[names[0]]) / statistics.median(times[names[1]])
    print(f"{'  ' + names[0] + ' / ' + names[1] + ' (p50)':<42} {ratio:>9.2f}")


async def _export(
    app: object, settings: Settings, business_id: object
) -> tuple[int, float, float, float]:
    exporter = ExportService(app.state.database, business_id, app.state.cache, settings)  # type: ignore[attr-defined]
    baseline = _rss_mb()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_mb())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rows = 0
    started = time.perf_counter()
    async for chunk in exporter.stream(
        CallListQuery(), ExportOptions(max_rows=exporter.check(None))
    ):
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return rows - 1, elapsed, baseline, peak


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--warm-runs", type=int, default=300, help="cache hits to time (cheap: many, for a p95)"
    )
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    args = parser.parse_args()
    if args.reuse:
        url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
        conn = await asyncpg.connect(f"{PG}/{DB_NAME}")
        business_id = await conn.fetchval("SELECT id FROM businesses WHERE name = $1", BUSINESS)
        await conn.close()
    else:
        url = await fresh_database(DB_NAME)
        seeded = time.perf_counter()
        business_id = await seed(url, args.calls)
        print(f"seeded {args.calls:,} calls in {time.perf_counter() - seeded:.1f} s")
    await flush_redis(REDIS)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.model_validate(
            app_settings(
                url, REDIS, Path(tmp), environment="production", auto_migrate=False,
                analytics_export_max_rows=2_000_000,
            )
        )  # fmt: skip
        app = create_app(settings)
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await sign_in(client)
                tag = analytics_tag(business_id)

                async def clear() -> None:
                    await app.state.cache.delete_tags(tag)

                async def nothing() -> None:
                    return None

                def get(path: str, **params: str) -> Request:
                    return lambda: client.get(f"/api/v1/analytics/{path}", params=params)

                cases = [
                    ("dashboard 30d, cold", clear, get("dashboard", period="30d"), args.runs),
                    ("dashboard 30d, warm", nothing, get("dashboard", period="30d"),
                     args.warm_runs),
                    ("dashboard 7d, cold", clear, get("dashboard", period="7d"), args.runs),
                    ("call volume 90 days by day, cold", clear,
                     get("call-volume", interval="day", **NINETY_DAYS), args.runs),
                    ("call volume 90 days by hour, cold", clear,
                     get("call-volume", interval="hour", **NINETY_DAYS), args.runs),
                    ("QA stats 30d, cold", clear, get("qa-stats", period="30d"), args.runs),
                    ("trend avg_qa_score 90 days by day, cold", clear,
                     get("trends", metric="avg_qa_score", interval="day",
                         **NINETY_DAYS), args.runs),
                ]  # fmt: skip
                await get("dashboard", period="30d")()  # warm the connection pool
                print(f"\n{'report':<42} {'p50 ms':>9} {'p95 ms':>9}  X-Cache")
                for name, before, request, runs in [] if args.skip_reports else cases:
                    p50, p95, header = await _timed(runs, before, request)
                    print(f"{name:<42} {p50:>9.1f} {p95:>9.1f}  {header}")
                if not args.skip_reports:
                    dashboard = get("dashboard", period="30d")
                    await _paired(app, args.runs, clear, dashboard,
                                  ("analytics_parallel_connections", 0),
                                  ("side by side", "one by one"))  # fmt: skip
                    await _paired(app, args.runs, clear, dashboard,
                                  ("analytics_rollups", False),
                                  ("rollups", "from calls"))  # fmt: skip
            if not args.skip_export:
                rows, elapsed, baseline, peak = await _export(app, settings, business_id)
                print(
                    f"\nCSV export: {rows:,} rows in {elapsed:.1f} s = "
                    f"{rows / elapsed:,.0f} rows/s; process RSS {baseline:.0f} MB before, "
                    f"peak {peak:.0f} MB (+{peak - baseline:.0f} MB)"
                )


if __name__ == "__main__":
    asyncio.run(main())
