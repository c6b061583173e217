"""Which PostgreSQL database and Redis database this test process uses.

Under pytest-xdist (``make test`` runs one worker process per core, at most four) every
worker needs its own: tests
clean the rows they wrote and flush the Redis database they used, which would pull the floor from
under a test running at the same moment in the other worker. Worker ``gwN`` therefore uses the
database ``<name>_gwN`` on the same PostgreSQL server (created here, dropped at the end) and the
Redis database ``<number> - N``. Without xdist the configured URLs are used as they are.
"""

from __future__ import annotations

import os

import asyncpg
from sqlalchemy.engine import make_url

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under pytest-xdist


def _worker_number() -> int:
    return int(WORKER.removeprefix("gw")) if WORKER else 0


def worker_database_url(url: str | None) -> str | None:
    if not url or not WORKER:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(hide_password=False)


def worker_redis_url(url: str | None) -> str | None:
    if not url or not WORKER:
        return url
    base, _, number = url.rstrip("/").rpartition("/")
    database = int(number or 0) - _worker_number()
    if database < 0:
        raise ValueError(f"{url}: name a Redis database of at least {_worker_number()}")
    return f"{base}/{database}"


def _server_dsn(url: str) -> tuple[str, str]:
    """asyncpg DSN of the server's maintenance database, and the database named by ``url``."""
    parsed = make_url(url).set(drivername="postgresql")
    name = str(parsed.database)
    return parsed.set(database="postgres").render_as_string(hide_password=False), name


async def create_worker_database(configured: str, url: str) -> None:
    """An empty database for this worker (its own, so dropped first when one is left over)."""
    if url == configured:
        return
    dsn, name = _server_dsn(url)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_worker_database(configured: str, url: str) -> None:
    if url == configured:
        return
    dsn, name = _server_dsn(url)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
