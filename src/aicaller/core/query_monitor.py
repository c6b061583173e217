"""Counts and times every SQL statement: per-request counts, slow-query log, pool gauge.

Counting uses a context variable holding a stack of counters, so a request counter (pushed by
the middleware) and a test's ``count_queries()`` block both see the statements run inside them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import Pool

from aicaller.core import metrics
from aicaller.core.logging import get_logger

logger = get_logger("aicaller.db")
_MAX_LOGGED_STATEMENT = 2000


@dataclass
class QueryCounter:
    count: int = 0
    statements: list[str] = field(default_factory=list)
    keep_statements: bool = False

    def record(self, statement: str) -> None:
        self.count += 1
        if self.keep_statements:
            self.statements.append(statement)


_active: ContextVar[tuple[QueryCounter, ...]] = ContextVar("aicaller_query_counters", default=())


@contextmanager
def count_queries(*, keep_statements: bool = False) -> Iterator[QueryCounter]:
    """Count the statements executed inside the block (in this task and its awaits)."""
    counter = QueryCounter(keep_statements=keep_statements)
    token = _active.set((*_active.get(), counter))
    try:
        yield counter
    finally:
        _active.reset(token)


def redact_parameters(parameters: Any) -> Any:
    """Parameter shapes without values: enough to debug a slow query, nothing personal."""
    if isinstance(parameters, dict):
        return {key: type(value).__name__ for key, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return [
            redact_parameters(p) if isinstance(p, dict | list | tuple) else type(p).__name__
            for p in parameters
        ]
    return type(parameters).__name__


class QueryMonitor:
    """SQLAlchemy event hooks for one engine."""

    def __init__(self, engine: AsyncEngine, *, slow_ms: float) -> None:
        self.slow_seconds = slow_ms / 1000
        self._sync_engine: Engine = engine.sync_engine
        event.listen(self._sync_engine, "before_cursor_execute", self._before)
        event.listen(self._sync_engine, "after_cursor_execute", self._after)
        event.listen(self._sync_engine.pool, "checkout", self._checkout)
        event.listen(self._sync_engine.pool, "checkin", self._checkin)

    def _before(self, conn: Connection, *_args: Any) -> None:
        conn.info.setdefault("aicaller_query_start", []).append(time.perf_counter())

    def _after(
        self,
        conn: Connection,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        elapsed = time.perf_counter() - conn.info["aicaller_query_start"].pop()
        metrics.DB_QUERIES.inc()
        metrics.DB_QUERY_LATENCY.observe(elapsed)
        for counter in _active.get():
            counter.record(statement)
        if elapsed >= self.slow_seconds:
            metrics.DB_SLOW_QUERIES.inc()
            logger.warning(
                "slow_query",
                duration_ms=round(elapsed * 1000, 2),
                statement=statement[:_MAX_LOGGED_STATEMENT],
                parameters=redact_parameters(parameters),
            )

    @staticmethod
    def _checkout(*_args: Any) -> None:
        metrics.DB_POOL_IN_USE.inc()

    @staticmethod
    def _checkin(*_args: Any) -> None:
        metrics.DB_POOL_IN_USE.dec()

    def pool_status(self) -> dict[str, int | str]:
        """Pool statistics for the readiness report."""
        pool: Pool = self._sync_engine.pool
        stats: dict[str, int | str] = {"status": pool.status()}
        for name in ("size", "checkedout", "overflow", "checkedin"):
            method = getattr(pool, name, None)
            if callable(method):
                stats[name] = int(method())
        return stats
