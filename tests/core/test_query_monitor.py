"""Query counting, the N+1 guard, slow-query logging with redacted parameters."""

from __future__ import annotations

import io

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from aicaller.core.query_monitor import QueryMonitor, redact_parameters
from aicaller.database.models import User
from aicaller.database.session import Database
from tests.factories import Tenant
from tests.helpers import assert_max_queries


async def test_each_response_reports_its_query_count(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await client.get("/api/v1/config", headers=tenant.headers())
    assert response.status_code == 200
    # Principal lookup and the business row (the second call may be served from cache).
    assert 1 <= int(response.headers["x-query-count"]) <= 3
    health = await client.get("/health/live")
    assert health.headers["x-query-count"] == "0"


async def test_assert_max_queries_catches_an_n_plus_one(database: Database, tenant: Tenant) -> None:
    ids = list(tenant.users.values())

    async def one_query_per_user() -> None:  # the N+1, written on purpose
        with assert_max_queries(2):
            for user_id in ids:
                await session.execute(select(User).where(User.id == user_id))

    async with database.transaction() as session:
        with pytest.raises(AssertionError, match="queries ran, at most 2 allowed"):
            await one_query_per_user()
        with assert_max_queries(1) as counter:
            await session.execute(select(User).where(User.id.in_(ids)))
        assert counter.count == 1


async def test_request_queries_count_towards_an_enclosing_block(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    with assert_max_queries(10) as counter:
        await client.get("/api/v1/users", headers=tenant.headers())
    assert counter.count >= 1


async def test_slow_queries_are_logged_without_parameter_values(
    app: FastAPI, database: Database, log_output: io.StringIO
) -> None:
    monitor: QueryMonitor = app.state.query_monitor
    monitor.slow_seconds = 0  # every statement counts as slow for this test
    async with database.transaction() as session:
        await session.execute(
            text("SELECT :secret_value AS x"), {"secret_value": "canary-4417-secret"}
        )
    logged = log_output.getvalue()
    assert "slow_query" in logged
    assert "SELECT" in logged
    assert "canary-4417-secret" not in logged
    assert '"str"' in logged  # the parameter's type stands in for its value


def test_parameter_redaction_keeps_only_shapes() -> None:
    assert redact_parameters({"a": 1, "b": "x"}) == {"a": "int", "b": "str"}
    assert redact_parameters(("x", 2.5)) == ["str", "float"]
    assert redact_parameters([{"a": None}]) == [{"a": "NoneType"}]


async def test_pool_statistics_are_reported(app: FastAPI) -> None:
    stats = app.state.query_monitor.pool_status()
    assert "status" in stats
