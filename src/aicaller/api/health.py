"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from aicaller.core.cache import AppCache
from aicaller.core.logging import get_logger
from aicaller.database.session import Database

router = APIRouter(prefix="/health", tags=["health"])
PROBE_TIMEOUT_SECONDS = 2.0
logger = get_logger(__name__)


async def _check(component: str, probe: Callable[[], Awaitable[None]]) -> dict[str, Any]:
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means "not ready", reported in the body
        logger.warning("readiness_check_failed", component=component, error=repr(exc))
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok"}


@router.get("/live", summary="The process is up")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Dependencies are reachable",
    responses={503: {"description": "The database is down; the body says which checks fail"}},
)
async def ready(request: Request) -> JSONResponse:
    database: Database = request.app.state.database
    cache: AppCache = request.app.state.cache
    checks = {
        "database": await _check("database", database.ping),
        "cache": await _check("cache", cache.ping),
    }
    checks["database"]["backend"] = database.engine.dialect.name
    checks["cache"]["backend"] = "redis" if cache.uses_redis else "memory"
    checks["jobs"] = await request.app.state.jobs.health()
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    # Without Redis the API still serves (cache misses, per-process limits, jobs wait in the
    # database), so only the database takes an instance out of rotation; the rest is "degraded".
    status = "error" if "database" in failing else "degraded" if failing else "ok"
    body = {"status": status, "failing": failing, "checks": checks}
    return JSONResponse(body, status_code=503 if status == "error" else 200)
