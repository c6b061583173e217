"""The calls API at volume: 100,000 calls in PostgreSQL, the server on 2 workers.

Seeds 100,000 calls over 60 days (transcripts of 6 turns on answered calls, notes on 10% and
escalations on about 8%) into a fresh PostgreSQL database, starts ``aicaller serve --workers 2``
with Redis, then drives each endpoint with concurrent clients for a fixed time, several rounds
interleaved so drift hits every endpoint alike:

- ``GET /api/v1/users/me``: the trivial authenticated endpoint, the ceiling;
- ``GET /api/v1/calls?limit=50``;
- a filtered list (completed inbound calls of the last 30 days that have notes, by duration);
- ``GET /api/v1/calls/{id}`` for random calls.

Prints requests/s, p50/p95/p99 latency and SQL statements per request (medians over rounds) and
each endpoint's throughput as a share of the trivial one.

    .venv/bin/python benchmarks/calls_api.py [--calls 100000] [--concurrency 8]
        [--seconds 10] [--rounds 3]

Environment: AICALLER_BENCH_PG (server URL, default postgresql://postgres@127.0.0.1:5432) and
AICALLER_BENCH_REDIS (default redis://127.0.0.1:6379/13).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import app_settings, flush_redis, server_environment, sign_in
from bench_postgres import fresh_database
from calls_seed import seed_calls

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/13")
DB_NAME = "aicaller_bench_calls"


@dataclass(frozen=True, slots=True)
class Result:
    rps: float
    p50: float
    p95: float
    p99: float
    sql: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _drive(
    client: httpx.AsyncClient, urls: list[str], concurrency: int, seconds: float
) -> Result:
    latencies: list[float] = []
    queries = 0
    deadline = time.perf_counter() + seconds

    async def one_client(offset: int) -> None:
        nonlocal queries
        index = offset
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.get(urls[index % len(urls)])
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            queries += int(response.headers["x-query-count"])
            index += concurrency

    began = time.perf_counter()
    await asyncio.gather(*(one_client(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return Result(
        len(ordered) / elapsed,
        _percentile(ordered, 0.50),
        _percentile(ordered, 0.95),
        _percentile(ordered, 0.99),
        queries / len(ordered),
    )


def _serve(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    # X-Query-Count is sent outside production.
    values = app_settings(url, REDIS, data_dir, environment="development")
    env = {**os.environ, **server_environment(values)}
    command = [sys.executable, "-m", "aicaller", "serve", "--workers", "2", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not become ready; see server.log")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = await fresh_database(DB_NAME)
    seeded = time.perf_counter()
    call_ids = await seed_calls(url, args.calls)
    print(f"seeded {args.calls:,} calls in {time.perf_counter() - seeded:.1f} s")
    await flush_redis(REDIS)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = _serve(url, Path(tmp), port)
        try:
            await _wait_ready(base)
            results = await _measure(base, call_ids, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    _report(results, args)


async def _measure(
    base: str, call_ids: list[str], args: argparse.Namespace
) -> dict[str, list[Result]]:
    month_ago = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    rng = random.Random(1)  # noqa: S311 - benchmark sampling
    endpoints = {
        "GET /users/me (trivial)": ["/api/v1/users/me"],
        "GET /calls?limit=50": ["/api/v1/calls?limit=50"],
        "GET /calls filtered": [
            f"/api/v1/calls?limit=50&status=completed&direction=inbound&from={month_ago}"
            "&has_notes=true&sort=duration"
        ],
        "GET /calls/{id}": [f"/api/v1/calls/{rng.choice(call_ids)}" for _ in range(2000)],
    }
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await sign_in(client)
        for urls in endpoints.values():  # warm up connections, caches and the pool
            await _drive(client, urls, args.concurrency, 1.0)
        results: dict[str, list[Result]] = {name: [] for name in endpoints}
        for _ in range(args.rounds):
            for name, urls in endpoints.items():
                results[name].append(await _drive(client, urls, args.concurrency, args.seconds))
    return results


def _report(results: dict[str, list[Result]], args: argparse.Namespace) -> None:
    print(
        f"{args.calls:,} calls, PostgreSQL + Redis, 2 workers, {args.concurrency} concurrent "
        f"clients, {args.rounds} rounds x {args.seconds:.0f} s (medians)"
    )
    header = f"{'endpoint':<26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print(header + f"{'SQL/req':>9}{'vs trivial':>12}")
    medians = {
        name: Result(*(statistics.median(getattr(r, f) for r in runs) for f in Result.__slots__))
        for name, runs in results.items()
    }
    ceiling = next(iter(medians.values())).rps
    for name, m in medians.items():
        print(
            f"{name:<26}{m.rps:>8.0f}{m.p50:>9.1f}{m.p95:>9.1f}{m.p99:>9.1f}{m.sql:>9.2f}"
            f"{m.rps / ceiling:>11.0%}"
        )


if __name__ == "__main__":
    asyncio.run(main())
