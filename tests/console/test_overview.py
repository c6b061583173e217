"""The overview: the dashboard's figures for a chosen period, charts, gaps, open escalations."""

from __future__ import annotations

import json
import re

import httpx
from fastapi import FastAPI

from aicaller.core.query_monitor import count_queries
from tests.console.calls_data import make_call
from tests.console.conftest import console_client
from tests.factories import Tenant
from tests.helpers import assert_max_queries

CHART = re.compile(r'data-chart="([^"]+)"')
CACHED = re.compile(r"\bFROM (users|api_keys|businesses|business_phone_numbers)\b")


async def test_figures_charts_and_open_escalations_for_a_period(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for _ in range(2):
        await make_call(client, tenant, resolved_by_ai=True)
    escalated = await make_call(client, tenant, resolved_by_ai=False)
    await client.post(
        f"/api/v1/calls/{escalated['id']}/escalations",
        json={"reason": "Angry <caller>", "priority": "high"},
        headers=tenant.headers(),
    )
    async with console_client(app, tenant, "viewer") as console:
        assert (await console.get("/app")).headers["location"] == "/app/overview"
        page = await console.get("/app/overview?period=7d")
        assert page.status_code == 200
        assert 'value="7d" selected' in page.text
        assert "Total calls" in page.text
        assert "Angry &lt;caller&gt;" in page.text
        assert "waiting 0 min" in page.text
        charts = [
            json.loads(raw.replace("&#34;", '"').replace("&quot;", '"'))
            for raw in CHART.findall(page.text)
        ]
        assert [c["label"] for c in charts] == ["Calls", "Resolved by the AI", "QA score"]
        assert len(charts[0]["x"]) == 7  # a point a day
        assert charts[0]["y"][-1] == 3
        today = await console.get("/app/overview?period=today")
        assert len(json.loads(CHART.findall(today.text)[0].replace("&#34;", '"'))["x"]) == 24
        custom = await console.get("/app/overview?period=custom&from=2026-01-01&to=2026-01-31")
        assert custom.status_code == 200
        bad = await console.get("/app/overview?period=custom&from=2026-02-01&to=2026-01-01")
        assert bad.status_code == 422
        # Cached reports: a second look costs the same few statements, whatever the data.
        with assert_max_queries(6) as first:
            await console.get("/app/overview?period=7d")
        for _ in range(3):
            await make_call(client, tenant)
        await console.get("/app/overview?period=7d")
        with assert_max_queries(first.count):
            await console.get("/app/overview?period=7d")


async def test_an_uncached_overview_runs_as_many_statements_whatever_its_period_or_data(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Each period below is asked once, so each is computed (no report in the cache); the
    dashboard and its three charts share one statement over the rollups."""
    periods = ["today", "7d", "30d", "custom&from=2025-11-01&to=2026-01-15"]
    counts: dict[str, int] = {}
    async with console_client(app, tenant, "viewer") as console:
        await console.get("/app/overview?period=custom&from=2025-01-01&to=2025-01-02")  # warm
        for i, period in enumerate(periods):
            for _ in range(i * 3):  # more calls each time (and the reports' entries cleared)
                await make_call(client, tenant, resolved_by_ai=bool(i % 2))
            with count_queries(keep_statements=True) as counter:
                page = await console.get(f"/app/overview?period={period}")
            assert page.status_code == 200
            # The session and the business's settings come from the cache, or from the
            # database when Redis is slow to answer (a loaded machine): not the page's own.
            counts[period] = sum(1 for s in counter.statements if not CACHED.search(s))
    assert len(set(counts.values())) == 1, counts
    # Repeat callers, the rollups' sums, the p90, gaps per period, the top gaps, open
    # escalations then and now, and the open escalations' list. On PostgreSQL the reports'
    # settings statement, on the request's connection and on each of the three extra report
    # connections.
    extra = 4 if app.state.database.engine.dialect.name == "postgresql" else 0
    assert counts["7d"] == 7 + extra, counts
