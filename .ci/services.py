"""CI helper: check PostgreSQL and Redis answer, and create or drop the run's database.

Usage: services.py check | createdb NAME | dropdb NAME. Exits non-zero when a service is down.
"""

from __future__ import annotations

import asyncio
import socket
import sys

import asyncpg

PG_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = ("127.0.0.1", 6379)


async def _pg(statement: str | None = None) -> None:
    connection = await asyncpg.connect(PG_DSN, timeout=5)
    try:
        await connection.execute(statement or "SELECT 1")
    finally:
        await connection.close()


def _redis_ping() -> None:
    with socket.create_connection(REDIS, timeout=5) as sock:
        sock.sendall(b"PING\r\n")
        reply = sock.recv(64)
    if not reply.startswith(b"+PONG"):
        raise RuntimeError(f"unexpected Redis reply {reply!r}")


def main() -> int:
    command = sys.argv[1]
    if command == "check":
        failures = []
        for name, probe in (("postgresql", lambda: asyncio.run(_pg())), ("redis", _redis_ping)):
            try:
                probe()
            except (OSError, RuntimeError, asyncpg.PostgresError) as exc:
                failures.append(f"{name}: {exc!r}")
        for failure in failures:
            print(f"unreachable {failure}", file=sys.stderr)
        return 1 if failures else 0
    name = sys.argv[2]
    if not name.replace("_", "").isalnum():
        raise SystemExit("bad database name")
    if command == "createdb":
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    elif command == "dropdb":
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
