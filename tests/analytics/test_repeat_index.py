"""On PostgreSQL the repeat callers statement can read each number's inbound calls in order from
``ix_calls_repeat`` (migration 0024) instead of sorting them: the index serves the statement's
own partition and order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from aicaller.analytics.queries.calls import CallQueries
from aicaller.database.session import Database
from tests.factories import Tenant

T0 = datetime(2026, 3, 1, tzinfo=UTC)


async def test_repeat_callers_read_their_index_in_order(
    database: Database, tenant: Tenant, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite reads reports without it")
    recorded: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        recorded.append((args[2], args[3]))

    cuts = [T0, T0 + timedelta(days=30), T0 + timedelta(days=60)]
    async with database.transaction() as session:
        event.listen(database.engine.sync_engine, "before_cursor_execute", record)
        try:
            await CallQueries(session, tenant.business_id).repeat_callers(cuts)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", record)
        (statement, parameters), *_ = [r for r in recorded if "lead(" in r[0]]
        connection = await session.connection()
        # Tiny test tables make a scan and a sort cheapest; forbidding both shows the index
        # can hand the rows over in the window's order.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        await session.execute(text("SET LOCAL enable_sort = off"))
        plan = await connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        lines = "\n".join(row[0] for row in plan)
    assert "ix_calls_repeat" in lines
    assert "Sort  " not in lines.split("WindowAgg", 1)[1], lines
