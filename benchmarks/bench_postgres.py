"""The PostgreSQL server the benchmarks use (AICALLER_BENCH_PG) and a fresh database on it."""

from __future__ import annotations

import os

import asyncpg

PG = os.environ.get("AICALLER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")


async def fresh_database(name: str) -> str:
    """Drop and recreate database ``name``; its SQLAlchemy (asyncpg) URL."""
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
