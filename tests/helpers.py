"""Assertions shared by the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select

from aicaller.core.query_monitor import QueryCounter, count_queries
from aicaller.database.session import Database


@contextmanager
def assert_max_queries(limit: int) -> Iterator[QueryCounter]:
    """Fail when the block runs more than ``limit`` SQL statements (requests made through the
    in-process test client count too). Use it to prove an endpoint has no N+1."""
    with count_queries(keep_statements=True) as counter:
        yield counter
    if counter.count > limit:
        listing = "\n".join(f"  {i + 1}. {s}" for i, s in enumerate(counter.statements))
        raise AssertionError(f"{counter.count} queries ran, at most {limit} allowed:\n{listing}")


async def count_rows(database: Database, model: type[Any]) -> int:
    """Rows of ``model``'s table, all tenants (to prove a request changed nothing)."""
    async with database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())
