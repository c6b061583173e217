"""GET /metrics: every family exposed, loopback or token only, multiprocess aggregation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from tests.factories import Tenant

FAMILIES = [
    "aicaller_http_requests_total",
    "aicaller_http_request_duration_seconds",
    "aicaller_http_requests_in_flight",
    "aicaller_db_queries_total",
    "aicaller_db_query_duration_seconds",
    "aicaller_db_pool_connections_in_use",
    "aicaller_cache_requests_total",
    "aicaller_rate_limit_rejections_total",
    "aicaller_jobs_total",
    "aicaller_job_duration_seconds",
]


async def test_metrics_expose_every_family_with_route_templates(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await client.get(f"/api/v1/users/{tenant.users['agent']}", headers=tenant.headers())
    await client.get("/api/v1/config", headers=tenant.headers())
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for family in FAMILIES:
        assert f"# TYPE {family}" in text, family
    assert 'route="/api/v1/users/{user_id}"' in text
    assert str(tenant.users["agent"]) not in text  # ids never become labels
    assert 'cache="config"' in text


async def test_metrics_are_not_public(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as outsider:
        refused = await outsider.get("/metrics")
        assert refused.status_code == 403
        assert refused.json()["code"] == "metrics_forbidden"
        app.state.settings.metrics_token = SecretStr("scrape-token-123")
        try:
            wrong = await outsider.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 403
            allowed = await outsider.get(
                "/metrics", headers={"Authorization": "Bearer scrape-token-123"}
            )
            assert allowed.status_code == 200
        finally:
            app.state.settings.metrics_token = None


_WORKER = """
import sys
from aicaller.core import metrics
metrics.HTTP_REQUESTS.labels(method="GET", route="/x", status="200").inc(int(sys.argv[1]))
"""
_READER = """
from aicaller.core import metrics
print(metrics.render_latest().decode())
"""


def test_several_worker_processes_are_aggregated(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for amount in ("2", "5"):
        subprocess.run([sys.executable, "-c", _WORKER, amount], env=env, check=True)  # noqa: S603
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _READER], env=env, check=True, capture_output=True, text=True
    ).stdout
    line = next(
        line
        for line in output.splitlines()
        if line.startswith("aicaller_http_requests_total{") and 'route="/x"' in line
    )
    assert line.endswith(" 7.0")
