"""Cached vs uncached principal and config reads on PostgreSQL + Redis.

Runs the app in-process (ASGI, no sockets) against a fresh PostgreSQL database and Redis, with a
mixed load: 90% GET /api/v1/config, 5% GET /api/v1/users/me, 5% PATCH /api/v1/config (writes that
invalidate the config cache). Prints requests/s with the cache on and off (median of several
runs, measured in the same process), their ratio, the hit rate and SQL statements per request.

    .venv/bin/python benchmarks/cache.py [--requests 2000] [--runs 5]

Environment: AICALLER_BENCH_PG (server URL, default postgresql://postgres@127.0.0.1:5432) and
AICALLER_BENCH_REDIS (default redis://127.0.0.1:6379/13).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr
from redis.asyncio import Redis

from aicaller import bootstrap
from aicaller.config import Settings
from aicaller.core import metrics
from aicaller.core.logging import configure_logging
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.main import create_app
from aicaller.users.roles import Role
from aicaller.users.schemas import UserCreate
from aicaller.users.service import UserService

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_postgres import fresh_database

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/13")
DB_NAME = "aicaller_bench_cache"
EMAIL, PASSWORD = "bench@example.com", "benchmark password"


def _settings(url: str, data_dir: Path, *, cache: bool) -> Settings:
    return Settings.model_validate(
        {
            "environment": "test",
            "data_dir": data_dir,
            "database_url": url,
            "redis_url": REDIS,
            "secret_key": "benchmark-secret-key-0123456789-abcdefgh",
            "cache_enabled": cache,
            "rate_limit_enabled": False,
            "log_level": "WARNING",
            "password_time_cost": 1,
            "password_memory_kib": 1024,
        }
    )


async def _seed(settings: Settings) -> None:
    database = Database(create_engine(settings))
    await migrate.upgrade(database.engine)
    from aicaller.core.security import PasswordHasher  # noqa: PLC0415

    async with database.transaction() as session:
        business = await bootstrap.create_business(session, name="Bench Co")
        hasher = PasswordHasher(time_cost=1, memory_kib=1024)
        await UserService(session, business.id, hasher).create(
            UserCreate(email=EMAIL, password=SecretStr(PASSWORD), role=Role.ADMIN)
        )
    await database.dispose()


def _cache_counts() -> tuple[float, float]:
    hits = sum(
        metrics.CACHE_REQUESTS.labels(cache=c, result="hit")._value.get()
        for c in ("config", "principal")
    )
    misses = sum(
        metrics.CACHE_REQUESTS.labels(cache=c, result="miss")._value.get()
        for c in ("config", "principal")
    )
    return hits, misses


async def _run(settings: Settings, requests: int) -> tuple[float, float, float]:
    """Requests per second, hit rate and SQL statements per request for one run."""
    app = create_app(settings, configure_logs=False)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client,
    ):
        token = (
            await client.post("/api/v1/auth/token", data={"username": EMAIL, "password": PASSWORD})
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        hits0, misses0 = _cache_counts()
        queries = 0
        started = time.perf_counter()
        for i in range(requests):
            if i % 20 == 0:
                response = await client.patch(
                    "/api/v1/config", json={"greeting": f"Hello {i}"}, headers=headers
                )
            elif i % 20 == 1:
                response = await client.get("/api/v1/users/me", headers=headers)
            else:
                response = await client.get("/api/v1/config", headers=headers)
            response.raise_for_status()
            queries += int(response.headers["x-query-count"])
        elapsed = time.perf_counter() - started
        hits, misses = _cache_counts()
    looked_up = (hits - hits0) + (misses - misses0)
    hit_rate = (hits - hits0) / looked_up if looked_up else 0.0
    return requests / elapsed, hit_rate, queries / requests


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    configure_logging(level="WARNING")
    url = await fresh_database(DB_NAME)
    redis = Redis.from_url(REDIS)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        await _seed(_settings(url, data_dir, cache=False))
        results: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
        for _ in range(args.runs):  # interleaved, so drift hits both modes alike
            for cached in (False, True):
                await redis.flushdb()
                results[cached].append(
                    await _run(_settings(url, data_dir, cache=cached), args.requests)
                )
    await redis.aclose()
    rows = {}
    for cached, runs in results.items():
        rows[cached] = (
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
            statistics.median(r[2] for r in runs),
        )
    print(f"mixed load, {args.requests} requests x {args.runs} runs (median), PostgreSQL + Redis")
    print(f"{'mode':<10}{'req/s':>10}{'hit rate':>10}{'SQL/req':>10}")
    for cached in (False, True):
        rps, hit_rate, sql = rows[cached]
        print(f"{'cached' if cached else 'uncached':<10}{rps:>10.0f}{hit_rate:>10.1%}{sql:>10.2f}")
    print(f"ratio cached/uncached: {rows[True][0] / rows[False][0]:.2f}x")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
