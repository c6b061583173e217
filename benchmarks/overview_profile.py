"""Where an uncached console overview's time goes in Python: the page requested in process (as
benchmarks/console.py does) on the console benchmark's PostgreSQL database, every request a
cache miss (a custom period not asked before), with this process's CPU time per request next
to its wall time, the full garbage collections that ran during the requests, and optionally
where the CPU went.

    .venv/bin/python benchmarks/overview_profile.py [--requests 60] [--serial]
        [--connections N] [--freeze] [--cprofile N] [--pyinstrument]

``--serial`` runs the report statements on the request's connection alone (no parallel report
connections), so the process's CPU time is not inflated by PostgreSQL running beside it on
the same cores; ``--connections`` sets the parallel report connections instead. ``--freeze``
calls ``gc.freeze()`` after start-up, so no full collection of the app's objects (about 0.2 s
here) lands in a measured request: compare CPU with it, the app's p95 without it.
``--cprofile N`` prints the Python function calls a request (a measure the machine's load
does not change) and the N packages with the most own CPU time under cProfile;
``--pyinstrument`` prints pyinstrument's tree. Run benchmarks/console.py first (it seeds the
database; AICALLER_BENCH_CONSOLE_DB names it).
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
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import app_settings, flush_redis
from bench_postgres import PG

from aicaller.config import Settings
from aicaller.main import create_app
from console import DB_NAME, REDIS, _sign_in


def _package(filename: str) -> str:
    """The package a profiled function belongs to (site-packages, aicaller's subpackage, or
    the standard library's module)."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/aicaller/" in filename:
        return "aicaller." + ".".join(filename.split("/aicaller/", 1)[1].split("/")[:2])
    return Path(filename).stem if filename.startswith("/") else filename


def _collections(full: list[float]) -> Any:
    """A ``gc.callbacks`` entry that appends each full collection's CPU milliseconds."""
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:  # the oldest generation: a pass over every object
            return
        if phase == "start":
            started[0] = time.process_time()
        else:
            full.append((time.process_time() - started[0]) * 1000)

    return callback


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


def _print_cprofile(profiled: cProfile.Profile, requests: int, top: int) -> None:
    stats = pstats.Stats(profiled)
    print(f"Python function calls a request: {stats.total_calls / requests:,.0f}")  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(filename)] = by_package.get(_package(filename), 0.0) + row[2]
    total = sum(by_package.values())
    print("own CPU time by package under cProfile (its overhead included), share:")
    for package, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:top]:
        print(f"  {seconds / total:6.1%}  {package}")


async def _measure(
    client: httpx.AsyncClient, urls: list[str], args: argparse.Namespace
) -> tuple[list[float], list[float], list[float]]:
    """Wall and CPU milliseconds of each request, and each full collection's CPU ms."""
    profiled = cProfile.Profile(time.process_time) if args.cprofile else None
    profiler = None
    if args.pyinstrument:
        # Optional: not in the bench extras (pip install pyinstrument).
        from pyinstrument import Profiler  # noqa: PLC0415

        profiler = Profiler(async_mode="disabled", interval=0.002)
    walls, cpus, full = [], [], []  # type: ignore[var-annotated]
    gc.callbacks.append(_collections(full))
    if profiled is not None:
        profiled.enable()
    if profiler is not None:
        profiler.start()
    try:
        for target in urls:
            cpu, began = time.process_time(), time.perf_counter()
            response = await client.get(target)
            walls.append((time.perf_counter() - began) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, response.status_code
            assert response.headers.get("X-Cache") != "hit"
    finally:
        gc.callbacks.pop()
        if profiled is not None:
            profiled.disable()
        if profiler is not None:
            profiler.stop()
    if profiled is not None:
        _print_cprofile(profiled, len(urls), args.cprofile)
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False, show_all=False, timeline=False))
    return walls, cpus, full


async def main(args: argparse.Namespace) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
    await flush_redis(REDIS)
    with tempfile.TemporaryDirectory() as tmp:
        values = app_settings(
            url, REDIS, Path(tmp), environment="development", slow_query_ms=60_000
        )
        if args.serial or args.connections is not None:
            values["analytics_parallel_connections"] = 0 if args.serial else args.connections
        app = create_app(Settings.model_validate(values))
        transport = httpx.ASGITransport(app=app)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=transport, base_url="http://b") as client,
        ):
            await _sign_in(client)
            for _ in range(3):  # warm: pools, templates (a cached period, not measured)
                assert (await client.get("/app/overview?period=7d")).status_code == 200
            if args.freeze:
                gc.collect()
                gc.freeze()
            walls, cpus, full = await _measure(client, _periods(args.requests), args)
    walls.sort()
    p95 = walls[min(len(walls) - 1, int(0.95 * len(walls)))]
    mode = (
        "serial"
        if args.serial
        else f"connections {app.state.settings.analytics_parallel_connections}"
    )
    print(
        f"{args.requests} uncached overviews ({mode}{', frozen' if args.freeze else ''}): wall "
        f"p50 {statistics.median(walls):.1f} p95 {p95:.1f} ms; this process's CPU p50 "
        f"{statistics.median(cpus):.1f} mean {statistics.mean(cpus):.1f} ms a request; "
        f"{len(full)} full collections ({sum(full):.0f} ms CPU)"
    )
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--serial", action="store_true")
    parser.add_argument("--connections", type=int, default=None)
    parser.add_argument("--freeze", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--pyinstrument", action="store_true")
    asyncio.run(main(parser.parse_args()))
