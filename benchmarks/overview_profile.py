"""Where an uncached console overview's time goes in Python: the page requested in process (as
benchmarks/console.py does) on the console benchmark's PostgreSQL database, every request a
cache miss, with the process's CPU time per request next to its wall time, and optionally a
pyinstrument profile of the requests.

    .venv/bin/python benchmarks/overview_profile.py [--requests 60] [--profile] [--serial]

``--serial`` runs the report statements on the request's connection alone (no parallel report
connections), so the wall time is the sum of the statements and the Python. Run
benchmarks/console.py first (it seeds the database; AICALLER_BENCH_CONSOLE_DB names it).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import app_settings, flush_redis
from bench_postgres import PG
from console import DB_NAME, REDIS, _sign_in

FLAT = os.environ.get("PROFILE_FLAT") == "1"

from aicaller.config import Settings
from aicaller.main import create_app


def _package(filename: str) -> str:
    """The package a profiled function belongs to (site-packages, aicaller's subpackage, or
    the standard library's module)."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/aicaller/" in filename:
        return "aicaller." + ".".join(filename.split("/aicaller/", 1)[1].split("/")[:2])
    return Path(filename).stem if filename.startswith("/") else filename


def _periods(count: int) -> list[str]:
    today = date.today()
    periods = [(start, length) for length in range(23, 31) for start in range(30, 60)]
    if count > len(periods):
        raise SystemExit(f"at most {len(periods)} requests (distinct periods)")
    chosen = periods[:: max(1, len(periods) // count)][:count]
    urls = []
    for start, length in chosen:
        first = today - timedelta(days=start)
        last = first + timedelta(days=length - 1)
        urls.append(f"/app/overview?period=custom&from={first}&to={last}")
    return urls


async def main(
    requests: int,
    profile: bool,
    serial: bool,
    cprofile: int,
    connections: int | None,
    freeze: bool,
) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
    await flush_redis(REDIS)
    with tempfile.TemporaryDirectory() as tmp:
        values = app_settings(
            url, REDIS, Path(tmp), environment="development", slow_query_ms=60_000
        )
        if serial:
            values["analytics_parallel_connections"] = 0
        elif connections is not None:
            values["analytics_parallel_connections"] = connections
        app = create_app(Settings.model_validate(values))
        async with (
            LifespanManager(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client,
        ):
            await _sign_in(client)
            for _ in range(3):  # warm: pools, templates (cached periods, not measured)
                assert (await client.get("/app/overview?period=7d")).status_code == 200
            urls = _periods(requests)
            if freeze:
                # The app's objects so far leave the collector's generations: no full collection
                # (about 0.2 s over this process's heap) lands in the measured requests.
                gc.collect()
                gc.freeze()
            profiler = None
            if profile:
                from pyinstrument import Profiler

                # Not async-aware: what the event loop's thread spends, waits included as such.
                profiler = Profiler(async_mode="disabled", interval=0.002)
                profiler.start()
            profiled = cProfile.Profile(time.process_time) if cprofile else None
            if profiled is not None:
                profiled.enable()
            walls, cpus = [], []
            for target in urls:
                cpu, began = time.process_time(), time.perf_counter()
                response = await client.get(target)
                walls.append((time.perf_counter() - began) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                assert response.status_code == 200, response.status_code
                assert response.headers.get("X-Cache") != "hit"
            if profiler is not None:
                profiler.stop()
            if profiled is not None:
                profiled.disable()
    walls.sort()
    cpus.sort()
    p95 = walls[min(len(walls) - 1, int(0.95 * len(walls)))]
    print(
        f"{requests} uncached overviews ({'serial' if serial else 'parallel'}): wall p50 "
        f"{statistics.median(walls):.1f} p95 {p95:.1f} ms; this process's CPU p50 "
        f"{statistics.median(cpus):.1f} mean {statistics.mean(cpus):.1f} ms a request"
    )
    if profiler is not None:
        print(
            profiler.output_text(
                unicode=False, color=False, show_all=False, timeline=False, flat=FLAT
            )
        )
    if profiled is not None:
        stats = pstats.Stats(profiled)
        # A measure of the Python work that the machine's load does not change.
        print(f"Python function calls a request: {stats.total_calls / requests:,.0f}")  # type: ignore[attr-defined]
        by_package: dict[str, float] = {}
        for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
            by_package[_package(filename)] = by_package.get(_package(filename), 0.0) + row[2]
        total = sum(by_package.values())
        print("own CPU time by package under cProfile (its overhead included), share:")
        for package, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:cprofile]:
            print(f"  {seconds / total:6.1%}  {package}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--serial", action="store_true")
    parser.add_argument("--connections", type=int, default=None, help="parallel report connections")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() before measuring")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    asyncio.run(
        main(
            args.requests,
            args.profile,
            args.serial,
            args.cprofile,
            args.connections,
            args.freeze,
        )
    )
